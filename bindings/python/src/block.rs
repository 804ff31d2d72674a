//! Leads read from Python mappings into blocks that own all they hold, so
//! that they can be bound and scored on any thread.

use leadgate::{Agreement, LeadErrorKind, Raw};
use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString};

use crate::convert::{rejects, Val};

/// A field that reads another key (`from "…"`): a lead keyed by the
/// field's name instead is warned about.
pub(crate) struct Renamed {
    name: Py<PyString>,
    /// The position of the key the field reads in [`KeySet::names`].
    key: usize,
    message: String,
}

/// The keys a call reads from each lead, in order: the agreement's input
/// keys, each with the field slot it fills, then any other keys the call
/// asks for (a report's `by` and `outcome` columns).
pub(crate) struct KeySet {
    pub(crate) names: Vec<String>,
    /// The same keys as interned Python strings (their hash is computed once).
    interned: Vec<Py<PyString>>,
    /// The field slot of each of the agreement's keys, the first `slots.len()`.
    pub(crate) slots: Vec<u32>,
    renamed: Vec<Renamed>,
}

impl KeySet {
    pub(crate) fn new(py: Python<'_>, agreement: &Agreement) -> Self {
        let probe = agreement.lead_builder(leadgate::OnBadValue::Error);
        let mut names: Vec<String> = Vec::new();
        let mut slots = Vec::new();
        for f in agreement.fields() {
            if let (false, Some(slot)) = (names.iter().any(|k| k == f.key()), probe.slot(f.key())) {
                names.push(f.key().to_string());
                slots.push(slot);
            }
        }
        let renamed = agreement
            .fields()
            .iter()
            .filter(|f| f.name() != f.key() && !names.iter().any(|k| k == f.name()))
            .filter_map(|f| {
                Some(Renamed {
                    name: PyString::intern(py, f.name()).unbind(),
                    key: names.iter().position(|k| k == f.key())?,
                    message: format!(
                        "have the key \"{name}\" but no \"{key}\": the field {name} reads \
                         \"{key}\", so it is missing in them (did you mean \"{key}\"?)",
                        name = f.name(),
                        key = f.key()
                    ),
                })
            })
            .collect();
        let interned = names
            .iter()
            .map(|k| PyString::intern(py, k).unbind())
            .collect();
        KeySet {
            names,
            interned,
            slots,
            renamed,
        }
    }

    /// The same keys and then `extra` ones (not fields).
    pub(crate) fn with_extra(&self, py: Python<'_>, extra: &[&str]) -> Self {
        let mut names = self.names.clone();
        names.extend(extra.iter().map(|k| k.to_string()));
        KeySet {
            interned: names
                .iter()
                .map(|k| PyString::intern(py, k).unbind())
                .collect(),
            names,
            slots: self.slots.clone(),
            renamed: Vec::new(),
        }
    }
}

/// The key objects a batch looks leads up with, and what it noticed.
///
/// A dict lookup first compares key objects by identity and only then by
/// value; the leads of a batch usually share their key objects (one
/// `csv.DictReader` header, one `json.load`, the constants of a dict
/// display), so looking up with the dict's own key objects skips a string
/// comparison per key. The lookups are the same: an exact `str` key equal
/// to the agreement's key has its hash and compares equal to it.
pub(crate) struct Keys<'a, 'py> {
    set: &'a KeySet,
    /// The key objects dicts are looked up with, one per key.
    lookup: Vec<Bound<'py, PyAny>>,
    /// Whether to take the key objects of the next dict read.
    pub(crate) adopt: bool,
    /// Leads keyed by a renamed field's name, per [`KeySet::renamed`].
    misnamed: Vec<u64>,
}

impl<'a, 'py> Keys<'a, 'py> {
    pub(crate) fn new(py: Python<'py>, set: &'a KeySet) -> Self {
        Keys {
            set,
            lookup: set
                .interned
                .iter()
                .map(|k| k.bind(py).clone().into_any())
                .collect(),
            adopt: true,
            misnamed: vec![0; set.renamed.len()],
        }
    }

    /// Takes `dict`'s key objects that are exact `str`s equal to a key.
    /// Runs no Python code, so the dict cannot change meanwhile.
    fn adopt_from(&mut self, dict: &Bound<'py, PyDict>) {
        self.adopt = false;
        for (key, _) in dict.iter() {
            let Some(text) = key
                .cast_exact::<PyString>()
                .ok()
                .and_then(|s| s.to_str().ok())
            else {
                continue;
            };
            for (name, lookup) in self.set.names.iter().zip(self.lookup.iter_mut()) {
                if name == text {
                    *lookup = key.clone();
                }
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.set.names.len()
    }

    /// One `UserWarning` per renamed field some leads were keyed by its name.
    pub(crate) fn warn(&self, py: Python<'_>) -> PyResult<()> {
        for (r, n) in self.set.renamed.iter().zip(&self.misnamed) {
            if *n > 0 {
                crate::agreement::warn(py, &format!("{n} lead(s) {}", r.message))?;
            }
        }
        Ok(())
    }
}

/// Leads read from Python objects: one [`Val`] per key and lead, their
/// texts, and the leads whose record itself was unusable. Owns all of it
/// (no Python object), so it is `Send`.
pub(crate) struct Block {
    /// The index of the block's first lead in its batch.
    pub(crate) first: usize,
    pub(crate) leads: usize,
    /// Values per lead.
    width: usize,
    values: Vec<Val>,
    text: String,
    /// (position in the block, why the record is unusable).
    pub(crate) errors: Vec<(usize, LeadErrorKind, String)>,
}

impl Block {
    pub(crate) fn new(first: usize, width: usize) -> Self {
        Block {
            first,
            leads: 0,
            width,
            values: Vec::new(),
            text: String::new(),
            errors: Vec::new(),
        }
    }

    /// Empties the block (keeping its buffers) to read up to `leads` leads
    /// of `width` values from `first` on.
    pub(crate) fn clear(&mut self, first: usize, leads: usize, width: usize) {
        self.first = first;
        self.leads = 0;
        self.width = width;
        self.values.clear();
        self.values.reserve(leads * width);
        self.text.clear();
        self.errors.clear();
    }

    /// The raw values of lead `i`, one per key.
    pub(crate) fn values(&self, i: usize) -> impl Iterator<Item = Raw<'_>> {
        let w = self.width;
        let values = self.values.get(i * w..(i + 1) * w).unwrap_or(&[]);
        values.iter().map(|v| v.raw(&self.text))
    }

    /// Reads the keys from `lead` (a `dict` or any `Mapping`) as the
    /// block's next lead. A lead that cannot be read is kept as a rejected
    /// one; the error is a `BaseException` that must stop the call (see
    /// [`rejects`]).
    pub(crate) fn read<'py>(
        &mut self,
        lead: &Bound<'py, PyAny>,
        keys: &mut Keys<'_, 'py>,
    ) -> PyResult<()> {
        let start = self.values.len();
        if let Err((kind, e)) = self.read_keys(lead, keys)? {
            self.values.truncate(start);
            self.values.extend((0..keys.len()).map(|_| Val::Absent));
            self.errors.push((self.leads, kind, e));
        }
        self.leads += 1;
        Ok(())
    }

    /// `Ok(Err(why))` when the lead is rejected.
    fn read_keys<'py>(
        &mut self,
        lead: &Bound<'py, PyAny>,
        keys: &mut Keys<'_, 'py>,
    ) -> PyResult<Result<(), (LeadErrorKind, String)>> {
        let py = lead.py();
        let start = self.values.len();
        let names = &keys.set.names;
        if let Ok(dict) = lead.cast::<PyDict>() {
            if keys.adopt {
                keys.adopt_from(dict);
            }
            for (key, name) in keys.lookup.iter().zip(names) {
                let val = match dict.get_item(key) {
                    Ok(Some(v)) => Val::read(&v, &mut self.text)?,
                    Ok(None) => Val::Absent,
                    Err(e) => return cannot_read(py, name, e),
                };
                self.values.push(val);
            }
            for (r, n) in keys.set.renamed.iter().zip(keys.misnamed.iter_mut()) {
                let absent = matches!(self.values.get(start + r.key), Some(Val::Absent));
                if absent && dict.contains(r.name.bind(py)).unwrap_or(false) {
                    *n += 1;
                }
            }
            return Ok(Ok(()));
        }
        if lead.is_instance_of::<PyMapping>() {
            for (key, name) in keys.set.interned.iter().zip(names) {
                let val = match lead.get_item(key.bind(py)) {
                    Ok(v) => Val::read(&v, &mut self.text)?,
                    Err(e) if e.is_instance_of::<PyKeyError>(py) => Val::Absent,
                    Err(e) => return cannot_read(py, name, e),
                };
                self.values.push(val);
            }
            return Ok(Ok(()));
        }
        let what = lead
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "an object".into());
        Ok(Err((
            LeadErrorKind::NotAnObject,
            format!("expected a mapping of field values, got {what}"),
        )))
    }
}

/// A lead whose key `name` raised `e` when read: rejected, unless `e`
/// must stop the call.
fn cannot_read(
    py: Python<'_>,
    name: &str,
    e: PyErr,
) -> PyResult<Result<(), (LeadErrorKind, String)>> {
    let e = rejects(py, e)?;
    Ok(Err((
        LeadErrorKind::Unreadable,
        format!("cannot read key {name:?}: {e}"),
    )))
}
