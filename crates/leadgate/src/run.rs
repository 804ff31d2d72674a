//! One pass of a batch call over its leads, for every front that reads
//! leads in parts (Arrow slices, blocks of Python mappings): the keys the
//! call reads ([`BatchKeys`]), the rows a front has read ([`Rows`]), and
//! the call itself ([`BatchRun`]): each part bound and scored on a thread
//! pool and, with a roster, assigned in input order.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use crate::{
    Agreement, Arrival, Decision, Lead, LeadBuilder, Load, MisnamedKey, MisnamedKeys, OnBadValue,
    Raw, Report, ScoreOptions, Staffing, Threads, Timestamp,
};

/// The keys a call reads from each lead, in order: the input keys of its
/// agreements (each once), then the other keys it asks for (a report's
/// `by` and `outcome`, an arrival column).
#[derive(Debug, Clone)]
pub struct BatchKeys {
    names: Vec<String>,
    /// Per agreement: the position in `names` and the field slot of each key it reads.
    slots: Vec<Vec<(usize, u32)>>,
    extra: Vec<usize>,
    renamed: Vec<(String, usize)>,
}

fn position(names: &mut Vec<String>, key: &str) -> usize {
    names.iter().position(|k| k == key).unwrap_or_else(|| {
        names.push(key.to_string());
        names.len() - 1
    })
}

impl BatchKeys {
    /// The keys `agreements` read, then `extra`.
    pub fn new(agreements: &[&Agreement], extra: &[&str]) -> Self {
        let mut names = Vec::new();
        let mut slots = Vec::new();
        for a in agreements {
            let probe = a.lead_builder(OnBadValue::Error);
            let mut own: Vec<(usize, u32)> = Vec::new();
            for f in a.fields() {
                if let Some(slot) = probe.slot(f.key()) {
                    let at = position(&mut names, f.key());
                    if !own.iter().any(|(p, _)| *p == at) {
                        own.push((at, slot));
                    }
                }
            }
            slots.push(own);
        }
        let renamed = (agreements.iter().flat_map(|a| a.fields()))
            .filter(|f| f.name() != f.key() && !names.iter().any(|k| k == f.name()))
            .filter_map(|f| Some((f.name().into(), names.iter().position(|k| k == f.key())?)))
            .fold(Vec::<(String, usize)>::new(), |mut all, r| {
                if !all.contains(&r) {
                    all.push(r);
                }
                all
            });
        let extra = extra.iter().map(|k| position(&mut names, k)).collect();
        BatchKeys {
            names,
            slots,
            extra,
            renamed,
        }
    }

    /// Every key, in order (a row holds one value per key).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The keys agreement `which` reads: (position in [`Self::names`], field slot).
    pub fn slots(&self, which: usize) -> &[(usize, u32)] {
        self.slots.get(which).map_or(&[], Vec::as_slice)
    }

    /// The positions of the other keys asked for, in order.
    pub fn extra(&self) -> &[usize] {
        &self.extra
    }

    /// Fields that read another key (`from "…"`) whose name is no key of
    /// the call, with the position of the key they read: a lead keyed by
    /// the name instead is told to [`LeadBuilder::unknown_key`], which
    /// warns of it (see [`BatchRun::misnamed`]).
    pub fn renamed(&self) -> &[(String, usize)] {
        &self.renamed
    }
}

/// Leads a front has read, by row: what a [`BatchRun`] binds and scores.
pub trait Rows: Sync {
    /// Sets row `row`'s values of the keys `slots` (as [`BatchKeys::slots`]
    /// gives them) in `b`, or rejects the row.
    /// `keys` are the call's keys (for [`BatchKeys::renamed`]).
    fn bind(&self, row: usize, slots: &[(usize, u32)], keys: &BatchKeys, b: &mut LeadBuilder<'_>);
    /// Row `row`'s value of the key at position `at` of [`BatchKeys::names`].
    fn value(&self, row: usize, at: usize) -> Raw<'_>;
}

/// A batch call: its agreements, the keys they read, the options, and with
/// rosters (one per agreement, or none) their staffing and counts.
///
/// A front reads its leads into [`Rows`] (here the core's [`OwnedRows`](crate::OwnedRows)),
/// one value per key of the call's [`BatchKeys`], and scores them in parts:
///
/// ```
/// use leadgate::{Agreement, BatchKeys, BatchRun, OwnedRows, Raw, ScoreOptions, Threads, Timestamp};
///
/// let agreement = Agreement::compile(
///     "agreement \"a\"\nfields { size : number from \"Company Size\" }\n\
///      score s { +10 \"Big\" when size > 100 }\n\
///      route { sales \"Big lead\" when s >= 10\n nurture otherwise }\n",
/// )?;
/// let agreements = [&agreement];
/// let keys = BatchKeys::new(&agreements, &[]);
/// assert_eq!(keys.names(), ["Company Size"]);
/// let mut rows = OwnedRows::new();
/// rows.clear(0, 2, keys.names().len());
/// for size in ["500", "5"] {
///     rows.push(Raw::Str(size.into()));
///     rows.end_lead();
/// }
/// let opts = ScoreOptions::at(Timestamp::parse("2026-11-23").unwrap());
/// let run = BatchRun::new(&agreements, &keys, opts);
/// let decide = |part: &leadgate::Part<'_, '_, OwnedRows>, range: std::ops::Range<usize>| {
///     range.map(|i| part.decide(0, i).rule().map(str::to_string)).collect::<Vec<_>>()
/// };
/// let pool = Threads::new(Some(2)).map_err(std::io::Error::other)?;
/// let rules = run.parts(run.part(&rows, 0), rows.len(), 1, &pool, &decide);
/// assert_eq!(rules.concat(), [Some("Big lead".to_string()), None]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct BatchRun<'a> {
    agreements: &'a [&'a Agreement],
    keys: &'a BatchKeys,
    opts: ScoreOptions,
    staffing: Vec<Option<Staffing>>,
    loads: Vec<Arc<Mutex<Load>>>,
    /// Each lead's own arrival: the place of its key among the other keys.
    arrival: Option<(usize, Arrival)>,
    misnamed: MisnamedKeys,
}

impl<'a> BatchRun<'a> {
    /// Scores with each of `agreements` the keys `keys` (made for them) reads.
    pub fn new(agreements: &'a [&'a Agreement], keys: &'a BatchKeys, opts: ScoreOptions) -> Self {
        BatchRun {
            agreements,
            keys,
            opts,
            staffing: Vec::new(),
            loads: Vec::new(),
            arrival: None,
            misnamed: MisnamedKeys::default(),
        }
    }

    /// With rosters: per agreement its staffing (None: that one has no
    /// roster) and the counts its `per_day` is checked against (shared:
    /// every assignment adds one).
    pub fn with_staffing(
        mut self,
        staffing: Vec<Option<Staffing>>,
        loads: Vec<Arc<Mutex<Load>>>,
    ) -> Self {
        self.staffing = staffing;
        self.loads = loads;
        self
    }

    /// Each lead scored as of its own instant, read by `arrival` from the
    /// `extra`th other key; a lead without one is rejected in place (see
    /// [`Arrival::apply`]).
    pub fn with_arrival(mut self, extra: usize, arrival: Arrival) -> Self {
        self.arrival = Some((extra, arrival));
        self
    }

    /// The agreements the leads are scored with.
    pub fn agreements(&self) -> &'a [&'a Agreement] {
        self.agreements
    }

    /// The keys the call reads.
    pub fn keys(&self) -> &'a BatchKeys {
        self.keys
    }

    /// The options the leads are scored with.
    pub fn options(&self) -> &ScoreOptions {
        &self.opts
    }

    /// The staffing of agreement `which`, if it has a roster.
    pub fn staffing(&self, which: usize) -> Option<&Staffing> {
        self.staffing.get(which).and_then(Option::as_ref)
    }

    /// Rows `rows` of a part whose first lead is the `first`th of the input.
    pub fn part<'p, R: Rows + ?Sized>(&'p self, rows: &'p R, first: usize) -> Part<'p, 'a, R> {
        Part {
            run: self,
            rows,
            first,
            settled: Vec::new(),
        }
    }

    /// The results of `chunk` over the `n` leads of `part`, in order, on
    /// `pool` (ranges of at least `grain` leads). With rosters, the leads
    /// are first scored on the pool, then assigned in input order
    /// (`per_day` makes an assignment depend on the ones before), and
    /// `chunk` reads the assigned decisions.
    pub fn parts<'p, R, T, F>(
        &self,
        mut part: Part<'p, 'a, R>,
        n: usize,
        grain: usize,
        pool: &Threads,
        chunk: &F,
    ) -> Vec<T>
    where
        R: Rows + ?Sized,
        T: Send,
        F: Fn(&Part<'p, 'a, R>, Range<usize>) -> T + Sync,
    {
        for (which, s) in self.staffing.iter().enumerate() {
            let mut decided: Vec<Decision> = pool
                .map_ranges(n, grain, |rows| {
                    rows.map(|r| part.decide(which, r)).collect::<Vec<_>>()
                })
                .into_iter()
                .flatten()
                .collect();
            if let (Some(s), Some(load)) = (s, self.loads.get(which)) {
                let mut load = load.lock().unwrap_or_else(PoisonError::into_inner);
                s.settle(&mut decided, &mut load);
            }
            part.settled.push(decided);
        }
        pool.map_ranges(n, grain, |rows| chunk(&part, rows))
    }

    /// The fields some leads were keyed by the name of rather than the key
    /// they read, with how many leads, since the last call (for the front
    /// to warn once per field).
    pub fn misnamed(&self) -> Vec<MisnamedKey> {
        self.misnamed.take()
    }
}

/// Some leads of a [`BatchRun`], as a front read them.
pub struct Part<'p, 'a, R: ?Sized> {
    run: &'p BatchRun<'a>,
    rows: &'p R,
    /// The index of the part's first lead in the input.
    first: usize,
    /// With rosters: per agreement, the part's decisions, assigned.
    settled: Vec<Vec<Decision>>,
}

impl<R: Rows + ?Sized> Part<'_, '_, R> {
    /// Lead `row` bound to agreement `which`.
    pub fn bind(&self, which: usize, row: usize) -> Lead {
        let (run, a) = (self.run, self.run.agreements[which]);
        let mut b = a.lead_builder(run.opts.bad_values());
        self.rows.bind(row, run.keys.slots(which), run.keys, &mut b);
        let lead = b.finish();
        run.misnamed.note(a, &lead);
        lead
    }

    /// Lead `row` bound to agreement `which`, with its options: as of its
    /// own instant (see [`BatchRun::with_arrival`]), or rejected for the
    /// lack of one.
    pub fn lead(&self, which: usize, row: usize) -> (Lead, ScoreOptions) {
        let (run, mut lead) = (self.run, self.bind(which, row));
        let opts = match &run.arrival {
            Some((extra, arrival)) => {
                let value = self.value(row, *extra);
                arrival.apply(&mut lead, &value, &run.opts)
            }
            None => run.opts,
        };
        (lead, opts)
    }

    /// Lead `row` bound to agreement `which` and scored (and, with a
    /// roster, assigned: see [`BatchRun::parts`]).
    pub fn decide(&self, which: usize, row: usize) -> Decision {
        if let Some(d) = self.settled.get(which).and_then(|s| s.get(row)) {
            return d.clone();
        }
        let (lead, opts) = self.lead(which, row);
        let index = self.first + row;
        match self.run.staffing(which) {
            Some(s) => s.decide(index, &lead, &opts),
            None => self.run.agreements[which].decide(index, &lead, &opts),
        }
    }

    /// Row `row`'s value of the `k`th other key asked for.
    pub fn value(&self, row: usize, k: usize) -> Raw<'_> {
        match self.run.keys.extra.get(k) {
            Some(&at) => self.rows.value(row, at),
            None => Raw::Null,
        }
    }
}

/// Where a report's own columns are among a call's other keys (see
/// [`Part::report`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportColumns {
    /// The `by` column's place, when the report is grouped.
    pub by: Option<usize>,
    /// The `outcome` column's place, for a backtest.
    pub outcome: Option<usize>,
    /// The follow-up instants' place, with a roster.
    pub followed_up_at: Option<usize>,
}

impl<R: Rows + ?Sized> Part<'_, '_, R> {
    /// Adds the decisions of agreement 0 on `rows` to `report`, each with
    /// its `by` group and its outcome read as a CSV cell reads (see
    /// [`cell_text`]) and its follow-up instant (a date, or a text as
    /// [`read_instant`](crate::read_instant) reads it; anything else: none).
    pub fn report(&self, rows: Range<usize>, columns: ReportColumns, report: &mut Report) {
        let roster = self.run.staffing(0).map(Staffing::roster);
        for row in rows {
            let value = |k: Option<usize>| k.map(|k| self.value(row, k));
            let (g, o) = (value(columns.by), value(columns.outcome));
            let (g, o) = (
                g.as_ref().and_then(cell_text),
                o.as_ref().and_then(cell_text),
            );
            let known = report.read_outcome(o.as_deref());
            let followed = value(columns.followed_up_at).and_then(|v| match v {
                Raw::DateMs(ms) => Some(Timestamp::from_unix_ms(ms)),
                Raw::Str(s) => crate::read_instant(s.trim(), roster),
                _ => None,
            });
            report.add_followed_up(&self.decide(0, row), g.as_deref(), known, followed);
        }
    }
}

/// A value as a CSV cell holds it (a report's `by` group or outcome): a
/// text trimmed, a number in the canonical form (a whole one below 2^63 in
/// digits, whether it came as an integer or a float), a date as RFC 3339, a
/// list's items joined by "; " (blank ones, objects and lists left out);
/// `None` when missing, blank, an object or a list of no text. Every front reads a report's
/// groups and outcomes so.
pub fn cell_text<'a>(raw: &'a Raw<'_>) -> Option<Cow<'a, str>> {
    Some(match raw {
        Raw::Str(s) => Cow::Borrowed(Some(s.trim()).filter(|s| !s.is_empty())?),
        Raw::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Raw::Int(i) => Cow::Owned(i.to_string()),
        Raw::UInt(u) => Cow::Owned(u.to_string()),
        // A whole number in digits, as an integer of the same value reads
        // (JS numbers and JSON's `1e16` are floats; `10000000000000000` is not).
        Raw::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => {
            Cow::Owned((*f as i64).to_string())
        }
        Raw::Float(f) if f.is_finite() => Cow::Owned(crate::format_number(*f)),
        Raw::DateMs(ms) => Cow::Owned(Timestamp::from_unix_ms(*ms).to_string()),
        Raw::Array(items) => {
            // Its items; a list inside a list holds no text.
            let items = items.iter().filter(|i| !matches!(i, Raw::Array(_)));
            let items: Vec<Cow<'_, str>> = items.filter_map(cell_text).collect();
            Cow::Owned(Some(items.join("; ")).filter(|t| !t.is_empty())?)
        }
        _ => return None,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A group's text from a JSON value of every kind.
    #[test]
    fn cell_texts_of_json_values() {
        let text = |json: &str| {
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            cell_text(&Raw::from(&v)).map(Cow::into_owned)
        };
        assert_eq!(
            text(r#"["DE", null, " FR ", [1], {"x": 1}, " "]"#).as_deref(),
            Some("DE; FR")
        );
        assert_eq!(text(r#"" DE ""#).as_deref(), Some("DE"));
        assert_eq!(text("1e21").as_deref(), Some("1e21"));
        assert_eq!(text("1e16").as_deref(), Some("10000000000000000"));
        assert_eq!(
            text("10000000000000000").as_deref(),
            Some("10000000000000000")
        );
        assert_eq!(text("-0.0").as_deref(), Some("0"));
        assert_eq!(text("12.50").as_deref(), Some("12.5"));
        assert_eq!(text("-7").as_deref(), Some("-7"));
        assert_eq!(text("true").as_deref(), Some("true"));
        for none in ["null", r#""  ""#, r#"{"x": 1}"#, "[]", "[null, [1]]"] {
            assert_eq!(text(none), None, "{none}");
        }
    }

    const TEXT: &str = "agreement \"t\"\nfields {\n  size : number from \"Company Size\"\n  arrived : text\n}\nscore s { +10 \"big\" when size > 100 }\nroute {\n  sales \"hot\" when s >= 10\n  nurture otherwise\n}\n";

    /// Rows of (size, arrival) texts; `None` is missing.
    struct Table(Vec<(Option<&'static str>, Option<&'static str>)>);

    impl Rows for Table {
        fn bind(&self, row: usize, slots: &[(usize, u32)], _: &BatchKeys, b: &mut LeadBuilder<'_>) {
            for &(at, slot) in slots {
                let raw = self.value(row, at);
                if !matches!(raw, Raw::Null) {
                    b.set(slot, raw);
                }
            }
        }
        fn value(&self, row: usize, at: usize) -> Raw<'_> {
            let (size, arrived) = self.0[row];
            match [size, arrived].get(at).copied().flatten() {
                Some(s) => Raw::Str(s.into()),
                None => Raw::Null,
            }
        }
    }

    #[test]
    fn keys_list_each_key_once_then_the_extra_ones() {
        let a = Agreement::compile(TEXT).unwrap();
        let keys = BatchKeys::new(&[&a, &a], &["arrived", "Segment"]);
        assert_eq!(keys.names(), ["Company Size", "arrived", "Segment"]);
        assert_eq!(keys.slots(0), keys.slots(1));
        assert_eq!(keys.extra(), [1, 2]);
        assert_eq!(keys.renamed(), [("size".to_string(), 0)]);
    }

    #[test]
    fn parts_score_in_order_with_arrivals_and_reject_without_one() {
        let a = Agreement::compile(TEXT).unwrap();
        let agreements = [&a];
        let keys = BatchKeys::new(&agreements, &["arrived"]);
        let opts = ScoreOptions::now();
        let run = BatchRun::new(&agreements, &keys, opts)
            .with_arrival(0, Arrival::new("arrived", None, false, "--as-of"));
        let rows = Table(vec![
            (Some("500"), Some("2026-11-23")),
            (Some("5"), Some("2026-11-24 10:30")),
            (Some("500"), None),
            (Some("5"), Some("soon")),
        ]);
        let pool = Threads::new(Some(2)).unwrap();
        let chunk = |p: &Part<'_, '_, Table>, r: Range<usize>| {
            r.map(|i| p.decide(0, i)).collect::<Vec<_>>()
        };
        let ds: Vec<Decision> = run
            .parts(run.part(&rows, 10), 4, 1, &pool, &chunk)
            .into_iter()
            .flatten()
            .collect();
        let indices: Vec<usize> = ds.iter().map(Decision::index).collect();
        assert_eq!(indices, [10, 11, 12, 13]);
        assert_eq!(ds[0].rule(), Some("hot"));
        assert!(ds[1].error().is_none());
        let e = ds[2].error().unwrap().to_string();
        assert!(
            e.contains("no arrival time: \"arrived\" is empty or missing (pass --as-of"),
            "{e}"
        );
        assert!(ds[3]
            .error()
            .unwrap()
            .to_string()
            .contains("\"arrived\" holds \"soon\""));
    }

    #[test]
    fn cells_read_as_a_csv_cell_holds_them() {
        let text = |raw: Raw<'_>| cell_text(&raw).map(|c| c.into_owned());
        assert_eq!(text(Raw::Str("  EMEA ".into())), Some("EMEA".into()));
        assert_eq!(text(Raw::Str("  ".into())), None);
        assert_eq!(text(Raw::Float(2.50)), Some("2.5".into()));
        assert_eq!(text(Raw::Float(f64::NAN)), None);
        assert_eq!(text(Raw::Bool(true)), Some("true".into()));
        assert_eq!(text(Raw::DateMs(0)), Some("1970-01-01T00:00:00Z".into()));
        let list = Raw::Array(vec![Raw::Str("a".into()), Raw::Null, Raw::Int(3)]);
        assert_eq!(text(list), Some("a; 3".into()));
        assert_eq!(text(Raw::Other("an object")), None);
    }

    #[test]
    fn parts_add_their_decisions_to_a_report_by_group_and_outcome() {
        let a = Agreement::compile(TEXT).unwrap();
        let agreements = [&a];
        let keys = BatchKeys::new(&agreements, &["arrived", "Company Size"]);
        let run = BatchRun::new(&agreements, &keys, ScoreOptions::now());
        // `arrived` is the group, the size (1 or 0 here) the outcome.
        let rows = Table(vec![
            (Some("1"), Some(" west ")),
            (Some("0"), Some("west")),
            (Some("x"), None),
        ]);
        let mut report = Report::new(&a, Some("arrived"), Some("Company Size"));
        let columns = ReportColumns {
            by: Some(0),
            outcome: Some(1),
            followed_up_at: None,
        };
        run.part(&rows, 0).report(0..3, columns, &mut report);
        assert_eq!(
            (report.leads(), report.rejected(), report.outcomes_known()),
            (3, 1, 2)
        );
        let json = serde_json::to_string(&report.to_json("t", 5)).unwrap();
        assert!(json.contains("\"west\""), "{json}");
    }

    #[test]
    fn a_lead_keyed_by_a_renamed_fields_name_is_counted() {
        let a = Agreement::compile(TEXT).unwrap();
        let agreements = [&a];
        let keys = BatchKeys::new(&agreements, &[]);
        let run = BatchRun::new(&agreements, &keys, ScoreOptions::now());
        struct Misnamed;
        impl Rows for Misnamed {
            fn bind(&self, _: usize, _: &[(usize, u32)], _: &BatchKeys, b: &mut LeadBuilder<'_>) {
                b.unknown_key("size");
            }
            fn value(&self, _: usize, _: usize) -> Raw<'_> {
                Raw::Null
            }
        }
        let part = run.part(&Misnamed, 0);
        part.decide(0, 0);
        part.decide(0, 1);
        let misnamed = run.misnamed();
        assert_eq!(
            (misnamed[0].name.as_str(), misnamed[0].key.as_str()),
            ("size", "Company Size")
        );
        assert_eq!((misnamed.len(), misnamed[0].leads), (1, 2));
        assert!(run.misnamed().is_empty());
    }
}
