//! Leads each person has taken per day, for `per_day` capacity.

use std::sync::Arc;

use rustc_hash::FxHashMap;

/// Leads each person has taken, per local day: what `per_day` is checked
/// against. A batch fills it in input order; a host scoring one lead at a
/// time passes the counts it keeps (from its CRM) with [`set`](Self::set),
/// and each assignment adds one.
///
/// ```
/// let mut load = leadgate::Load::new();
/// load.set("Ana Lopez", "2026-12-01", 39).unwrap();
/// assert_eq!(load.get("Ana Lopez", "2026-12-01"), Some(39));
/// assert!(load.set("Ana Lopez", "1 Dec", 1).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Load {
    /// Person → day (since 1970-01-01) → leads.
    counts: FxHashMap<Arc<str>, FxHashMap<i32, u32>>,
}

fn day_number(date: &str) -> Result<i32, String> {
    let d = super::hours::date(date)?;
    d.since(jiff::civil::date(1970, 1, 1))
        .map(|s| s.get_days())
        .map_err(|e| e.to_string())
}

impl Load {
    /// No leads taken by anyone.
    pub fn new() -> Load {
        Load::default()
    }

    /// Says that `person` has taken `count` leads on `date` (YYYY-MM-DD, in
    /// the person's time zone).
    pub fn set(&mut self, person: &str, date: &str, count: u32) -> Result<(), String> {
        let day = day_number(date)?;
        self.add(person, day, |n| *n = count);
        Ok(())
    }

    /// The leads `person` has taken on `date` (`None` for a text that is
    /// not a date).
    pub fn get(&self, person: &str, date: &str) -> Option<u32> {
        let day = day_number(date).ok()?;
        Some(self.count(person, day))
    }

    pub(crate) fn count(&self, person: &str, day: i32) -> u32 {
        self.counts
            .get(person)
            .and_then(|days| days.get(&day))
            .copied()
            .unwrap_or(0)
    }

    pub(crate) fn take(&mut self, person: &str, day: i32) {
        self.add(person, day, |n| *n += 1);
    }

    /// Changes one count (the person's name is copied once, on their first).
    fn add(&mut self, person: &str, day: i32, f: impl FnOnce(&mut u32)) {
        if !self.counts.contains_key(person) {
            self.counts.insert(person.into(), FxHashMap::default());
        }
        if let Some(days) = self.counts.get_mut(person) {
            f(days.entry(day).or_default());
        }
    }
}
