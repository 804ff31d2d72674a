//! Leads read from Python mappings into blocks that own all they hold, so
//! that they can be bound and scored on any thread.

use leadgate::{Agreement, BatchKeys, LeadBuilder, LeadErrorKind, Raw};
use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString};

use crate::convert::{rejects, Val};

/// The keys a call reads from each lead (the core's [`BatchKeys`]), as
/// interned Python strings (their hash is computed once).
pub(crate) struct KeySet {
    pub(crate) core: BatchKeys,
    interned: Vec<Py<PyString>>,
    /// The names of [`BatchKeys::renamed`].
    renamed: Vec<Py<PyString>>,
}

impl KeySet {
    pub(crate) fn new(py: Python<'_>, agreements: &[&Agreement], extra: &[&str]) -> Self {
        let core = BatchKeys::new(agreements, extra);
        let intern = |k: &String| PyString::intern(py, k).unbind();
        KeySet {
            interned: core.names().iter().map(intern).collect(),
            renamed: core
                .renamed()
                .iter()
                .map(|(name, _)| intern(name))
                .collect(),
            core,
        }
    }
}

/// The key objects a batch looks leads up with.
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
}

impl<'a, 'py> Keys<'a, 'py> {
    pub(crate) fn new(py: Python<'py>, set: &'a KeySet) -> Self {
        let lookup = set.interned.iter().map(|k| k.bind(py).clone().into_any());
        Keys {
            set,
            lookup: lookup.collect(),
            adopt: true,
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
            for (name, lookup) in self.set.core.names().iter().zip(self.lookup.iter_mut()) {
                if name == text {
                    *lookup = key.clone();
                }
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.set.core.names().len()
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
    errors: Vec<(usize, LeadErrorKind, String)>,
    /// (position in the block, renamed field) of leads keyed by a renamed field's name.
    misnamed: Vec<(usize, usize)>,
}

impl Block {
    pub(crate) fn new() -> Self {
        Block {
            first: 0,
            leads: 0,
            width: 0,
            values: Vec::new(),
            text: String::new(),
            errors: Vec::new(),
            misnamed: Vec::new(),
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
        self.misnamed.clear();
    }

    /// The values of lead `i`, one per key.
    fn row(&self, i: usize) -> &[Val] {
        let w = self.width;
        self.values.get(i * w..(i + 1) * w).unwrap_or(&[])
    }

    /// The raw value of key `at` in lead `i`.
    pub(crate) fn value(&self, i: usize, at: usize) -> Raw<'_> {
        match self.row(i).get(at) {
            Some(v) => v.raw(&self.text),
            None => Raw::Null,
        }
    }

    /// Sets lead `i`'s values of the keys `slots` in `b` (or rejects it).
    pub(crate) fn bind(
        &self,
        b: &mut LeadBuilder<'_>,
        i: usize,
        slots: &[(usize, u32)],
        set: &KeySet,
    ) {
        if let Ok(e) = self.errors.binary_search_by_key(&i, |(j, _, _)| *j) {
            if let Some((_, kind, message)) = self.errors.get(e) {
                b.reject(*kind, message.clone());
            }
            return;
        }
        let row = self.row(i);
        for &(at, slot) in slots {
            match row.get(at) {
                None | Some(Val::Absent) => {}
                Some(v) => b.set(slot, v.raw(&self.text)),
            }
        }
        let from = self.misnamed.partition_point(|(j, _)| *j < i);
        for (_, r) in self.misnamed.iter().skip(from).take_while(|(j, _)| *j == i) {
            if let Some((name, _)) = set.core.renamed().get(*r) {
                b.unknown_key(name);
            }
        }
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
        let names = keys.set.core.names();
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
            let renamed = keys.set.core.renamed().iter().zip(&keys.set.renamed);
            for (r, ((_, at), name)) in renamed.enumerate() {
                let absent = matches!(self.values.get(start + at), Some(Val::Absent));
                if absent && dict.contains(name.bind(py)).unwrap_or(false) {
                    self.misnamed.push((self.leads, r));
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
            .map_or("an object".into(), |n| n.to_string());
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
