//! Leads a host read from its own objects (Python mappings) into a block
//! that owns all it holds, so that the block can be bound and scored on
//! any thread while the host reads the next one.

use std::borrow::Cow;

use crate::{BatchKeys, LeadBuilder, LeadErrorKind, Raw, Rows};

/// One value of a lead: absent, a text (its byte range in the block's text
/// buffer: texts are copied back to back, no allocation per text), or any
/// other raw value.
#[derive(Debug)]
enum Owned {
    Absent,
    Text(usize, usize),
    Value(Raw<'static>),
}

/// A block of leads, one value per key of a [`BatchKeys`] and lead, read
/// lead by lead with [`push`](Self::push) and [`end_lead`](Self::end_lead)
/// (or [`reject_lead`](Self::reject_lead)). Owns everything it holds, so
/// it is `Send`; its buffers are kept by [`clear`](Self::clear).
#[derive(Debug, Default)]
pub struct OwnedRows {
    first: usize,
    leads: usize,
    /// Values per lead.
    width: usize,
    values: Vec<Owned>,
    text: String,
    /// (lead, why the record is unusable), in lead order.
    errors: Vec<(usize, LeadErrorKind, String)>,
    /// (lead, index in [`BatchKeys::renamed`]) of leads keyed by a renamed field's name.
    misnamed: Vec<(usize, usize)>,
}

impl OwnedRows {
    /// An empty block.
    pub fn new() -> Self {
        OwnedRows::default()
    }

    /// Empties the block (keeping its buffers) to read up to `leads` leads
    /// of `width` values each, the first being the `first`th of the input.
    /// Room is made for at most 64 leads at first: a block of one lead
    /// should not cost a large allocation, and a full block's buffers are
    /// kept for the next one.
    pub fn clear(&mut self, first: usize, leads: usize, width: usize) {
        self.first = first;
        self.leads = 0;
        self.width = width;
        self.values.clear();
        self.values.reserve(leads.min(64) * width);
        self.text.clear();
        self.errors.clear();
        self.misnamed.clear();
    }

    /// The index of the block's first lead in the input.
    pub fn first(&self) -> usize {
        self.first
    }

    /// How many leads the block holds.
    pub fn len(&self) -> usize {
        self.leads
    }

    /// Whether the block holds no lead.
    pub fn is_empty(&self) -> bool {
        self.leads == 0
    }

    /// Adds the next value of the lead being read (values come in the order
    /// of [`BatchKeys::names`]); `Raw::Null` is an absent value.
    pub fn push(&mut self, raw: Raw<'_>) {
        let value = match raw {
            Raw::Null => Owned::Absent,
            Raw::Str(s) => return self.push_text(&s),
            raw => Owned::Value(owned(raw)),
        };
        self.values.push(value);
    }

    /// Adds a text as the next value of the lead being read.
    pub fn push_text(&mut self, text: &str) {
        let start = self.text.len();
        self.text.push_str(text);
        self.values.push(Owned::Text(start, self.text.len()));
    }

    /// Whether the value at key position `at` of the lead being read is absent.
    pub fn is_absent(&self, at: usize) -> bool {
        let start = self.leads * self.width;
        matches!(self.values.get(start + at), Some(Owned::Absent) | None)
    }

    /// Notes that the lead being read has the name of the `r`th field of
    /// [`BatchKeys::renamed`] as a key (told to the binder: a warning).
    pub fn misnamed(&mut self, r: usize) {
        self.misnamed.push((self.leads, r));
    }

    /// Ends the lead being read (it must have one value per key).
    pub fn end_lead(&mut self) {
        self.leads += 1;
        self.values
            .resize_with(self.leads * self.width, || Owned::Absent);
    }

    /// Ends the lead being read as a rejected one: its record is unusable.
    pub fn reject_lead(&mut self, kind: LeadErrorKind, message: String) {
        self.values.truncate(self.leads * self.width);
        self.misnamed.retain(|(lead, _)| *lead != self.leads);
        self.errors.push((self.leads, kind, message));
        self.end_lead();
    }

    fn row(&self, i: usize) -> &[Owned] {
        let w = self.width;
        self.values.get(i * w..(i + 1) * w).unwrap_or(&[])
    }

    fn raw<'a>(&'a self, value: &'a Owned) -> Raw<'a> {
        match value {
            Owned::Absent => Raw::Null,
            Owned::Text(start, end) => {
                Raw::Str(Cow::Borrowed(self.text.get(*start..*end).unwrap_or("")))
            }
            Owned::Value(raw) => borrow(raw),
        }
    }
}

impl Rows for OwnedRows {
    fn bind(&self, row: usize, slots: &[(usize, u32)], keys: &BatchKeys, b: &mut LeadBuilder<'_>) {
        if let Ok(e) = self.errors.binary_search_by_key(&row, |(j, _, _)| *j) {
            if let Some((_, kind, message)) = self.errors.get(e) {
                b.reject(*kind, message.clone());
            }
            return;
        }
        let values = self.row(row);
        for &(at, slot) in slots {
            match values.get(at) {
                None | Some(Owned::Absent) => {}
                Some(v) => b.set(slot, self.raw(v)),
            }
        }
        let from = self.misnamed.partition_point(|(j, _)| *j < row);
        for (_, r) in self
            .misnamed
            .iter()
            .skip(from)
            .take_while(|(j, _)| *j == row)
        {
            if let Some((name, _)) = keys.renamed().get(*r) {
                b.unknown_key(name);
            }
        }
    }

    fn value(&self, row: usize, at: usize) -> Raw<'_> {
        match self.row(row).get(at) {
            Some(v) => self.raw(v),
            None => Raw::Null,
        }
    }
}

/// A raw value that owns its texts.
fn owned(raw: Raw<'_>) -> Raw<'static> {
    match raw {
        Raw::Null => Raw::Null,
        Raw::Bool(b) => Raw::Bool(b),
        Raw::Int(i) => Raw::Int(i),
        Raw::UInt(u) => Raw::UInt(u),
        Raw::Float(f) => Raw::Float(f),
        Raw::Str(s) => Raw::Str(Cow::Owned(s.into_owned())),
        Raw::DateMs(ms) => Raw::DateMs(ms),
        Raw::Array(items) => Raw::Array(items.into_iter().map(owned).collect()),
        Raw::Other(what) => Raw::Other(what),
    }
}

/// A raw value borrowing from an owned one (no text copies while binding).
fn borrow<'a>(raw: &'a Raw<'_>) -> Raw<'a> {
    match raw {
        Raw::Null => Raw::Null,
        Raw::Bool(b) => Raw::Bool(*b),
        Raw::Int(i) => Raw::Int(*i),
        Raw::UInt(u) => Raw::UInt(*u),
        Raw::Float(f) => Raw::Float(*f),
        Raw::Str(s) => Raw::Str(Cow::Borrowed(s.as_ref())),
        Raw::DateMs(ms) => Raw::DateMs(*ms),
        Raw::Array(items) => Raw::Array(items.iter().map(borrow).collect()),
        Raw::Other(what) => Raw::Other(what),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::{Agreement, BatchRun, ScoreOptions, Threads};

    #[test]
    fn a_block_binds_its_values_rejections_and_misnamed_keys() {
        let a = Agreement::compile(
            "agreement \"t\"\nfields {\n  size : number from \"Company Size\"\n  tags : list\n}\nscore s { +10 \"big\" when size > 100\n +1 \"vip\" when tags contains \"vip\" }\nroute {\n  sales \"hot\" when s >= 10\n  nurture otherwise\n}\n",
        )
        .unwrap();
        let agreements = [&a];
        let keys = BatchKeys::new(&agreements, &["segment"]);
        assert_eq!(keys.names(), ["Company Size", "tags", "segment"]);
        let mut rows = OwnedRows::new();
        rows.clear(5, 4, 3);
        rows.push(Raw::Str("500".into()));
        rows.push(Raw::Array(vec![Raw::Str(Cow::Owned("vip".into()))]));
        rows.push_text("smb");
        rows.end_lead();
        rows.push(Raw::Null);
        assert!(rows.is_absent(0));
        rows.misnamed(0);
        rows.push(Raw::Null);
        rows.push(Raw::Int(3));
        rows.end_lead();
        rows.push(Raw::Float(1.0));
        rows.misnamed(0);
        rows.reject_lead(LeadErrorKind::NotAnObject, "expected a mapping".into());
        rows.push(Raw::Int(200));
        rows.end_lead();
        assert_eq!(rows.len(), 4);
        let run = BatchRun::new(&agreements, &keys, ScoreOptions::now());
        let pool = Threads::new(Some(1)).unwrap();
        let chunk = |p: &crate::Part<'_, '_, OwnedRows>, r: std::ops::Range<usize>| {
            r.map(|i| (p.decide(0, i), format!("{:?}", p.value(i, 0))))
                .collect::<Vec<_>>()
        };
        let out: Vec<_> = run
            .parts(run.part(&rows, rows.first()), rows.len(), 1, &pool, &chunk)
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(out[0].0.index(), 5);
        assert_eq!(out[0].0.total(), Some(11.0));
        assert_eq!(out[0].1, "Str(\"smb\")");
        assert_eq!(out[1].1, "Int(3)");
        assert_eq!(out[1].0.rule(), None);
        assert_eq!(
            out[2].0.error().map(|e| e.kind()),
            Some(LeadErrorKind::NotAnObject)
        );
        assert_eq!(out[3].0.rule(), Some("hot"));
        let misnamed = run.misnamed();
        assert_eq!(misnamed.len(), 1);
        assert_eq!(misnamed[0].to_string(), "a lead has the key \"size\" but no \"Company Size\": the field size reads \"Company Size\", so it is missing in that lead (did you mean \"Company Size\"?)");
    }
}
