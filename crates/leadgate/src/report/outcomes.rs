//! A report's outcome values as the fronts read them: truthy or falsy,
//! and a few of those that are neither, for the error of an outcome that
//! no lead holds (the same words on every front).

/// Reads the outcome values of a report's leads ([`parse_outcome`]),
/// keeping the [`SAMPLE`](Self::SAMPLE) smallest distinct values that are
/// neither truthy nor falsy (the same however the leads were split into
/// parts): what [`error`](Self::error) names when
/// [`Report::outcome_unknown`] (the outcome column holds something else,
/// such as a form type).
///
/// ```
/// let mut outcomes = leadgate::OutcomeValues::new();
/// assert_eq!(outcomes.read(Some("Yes")), Some(true));
/// assert_eq!(outcomes.read(Some("ebook")), None);
/// assert_eq!(outcomes.read(None), None);
/// assert_eq!(outcomes.unreadable(), ["ebook"]);
/// ```
///
/// [`parse_outcome`]: crate::parse_outcome
/// [`Report::outcome_unknown`]: crate::Report::outcome_unknown
#[derive(Debug, Clone, Default)]
pub struct OutcomeValues {
    unreadable: Vec<String>,
}

impl OutcomeValues {
    /// How many unreadable values are kept.
    pub const SAMPLE: usize = 10;
    /// How many characters of each are kept.
    pub const LONGEST: usize = 60;

    /// None read yet.
    pub fn new() -> OutcomeValues {
        OutcomeValues::default()
    }

    /// A lead's outcome value read as truthy or falsy (`None`: missing, or
    /// neither; the latter is kept as a sample).
    pub fn read(&mut self, value: Option<&str>) -> Option<bool> {
        let value = value?;
        let known = crate::parse_outcome(value);
        if known.is_none() {
            self.insert(value);
        }
        known
    }

    /// Keeps `value` in the sample if it is among the smallest: a value
    /// that is blank, or truthy or falsy after all (from a report state),
    /// is never kept, and one over [`LONGEST`](Self::LONGEST) characters
    /// is cut there.
    pub(crate) fn keep(&mut self, value: &str) {
        if crate::parse_outcome(value).is_none() {
            self.insert(value);
        }
    }

    /// Inserts a value known to be neither truthy nor falsy, trimmed and
    /// cut, in order, if it is among the smallest; blank ones never.
    fn insert(&mut self, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let value = match value.char_indices().nth(Self::LONGEST) {
            Some((end, _)) => &value[..end],
            None => value,
        };
        let at = match self.unreadable.binary_search_by(|v| v.as_str().cmp(value)) {
            Ok(_) => return,
            Err(at) => at,
        };
        if at < Self::SAMPLE {
            self.unreadable.insert(at, value.to_string());
            self.unreadable.truncate(Self::SAMPLE);
        }
    }

    /// Adds the values another part of the same leads kept.
    pub fn merge(&mut self, other: &OutcomeValues) {
        other.unreadable.iter().for_each(|v| self.insert(v));
    }

    /// The smallest distinct values read that are neither truthy nor falsy,
    /// in order.
    pub fn unreadable(&self) -> &[String] {
        &self.unreadable
    }

    /// Why no lead has an outcome, naming what the values were: every front
    /// puts the outcome's name in front (`--outcome Converted: …`).
    pub fn error(&self) -> String {
        let found = match self.unreadable.is_empty() {
            true => " — the column is empty".to_string(),
            false => {
                let seen: Vec<String> = self
                    .unreadable
                    .iter()
                    .map(|v| crate::canonical::json_str(v))
                    .collect();
                format!("; found {}", seen.join(", "))
            }
        };
        format!("no lead has a truthy or falsy value (1/0, true/false, yes/no){found}")
    }
}

#[cfg(test)]
mod tests {
    use super::OutcomeValues;

    #[test]
    fn keeps_the_smallest_distinct_unreadable_values_however_split() {
        let mut o = OutcomeValues::new();
        let read: Vec<_> = ["1", "b", "no", "a", "b", " TRUE "]
            .iter()
            .map(|v| o.read(Some(v)))
            .collect();
        assert_eq!(
            read,
            [Some(true), None, Some(false), None, None, Some(true)]
        );
        assert_eq!(o.unreadable(), ["a", "b"]);
        assert_eq!(
            o.error(),
            "no lead has a truthy or falsy value (1/0, true/false, yes/no); found \"a\", \"b\""
        );
        let (mut first, mut second) = (OutcomeValues::new(), OutcomeValues::new());
        for i in (0..20).rev() {
            o.read(Some(&format!("v{i:02}")));
            match i % 2 {
                0 => first.read(Some(&format!("v{i:02}"))),
                _ => second.read(Some(&format!("v{i:02}"))),
            };
        }
        assert_eq!(o.unreadable().len(), OutcomeValues::SAMPLE);
        assert_eq!(o.unreadable()[2..4], ["v00", "v01"]);
        assert_eq!(o.unreadable().last().map(String::as_str), Some("v07"));
        first.merge(&second);
        first.merge(&OutcomeValues::new());
        let smallest: Vec<String> = (0..10).map(|i| format!("v{i:02}")).collect();
        assert_eq!(first.unreadable(), smallest);
        assert!(OutcomeValues::new()
            .error()
            .ends_with("yes/no) — the column is empty"));
    }
}
