//! Leads read from Python mappings into blocks that own all they hold (the
//! core's [`OwnedRows`]), so that they can be bound and scored on any thread.

use leadgate::{Agreement, BatchKeys, LeadErrorKind, OwnedRows, Raw};
use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString};

use crate::convert::{push_value, rejects};

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

/// Reads the keys from `lead` (a `dict` or any `Mapping`) as the block's
/// next lead. A lead that cannot be read is kept as a rejected one; the
/// error is a `BaseException` that must stop the call (see [`rejects`]).
pub(crate) fn read<'py>(
    block: &mut OwnedRows,
    lead: &Bound<'py, PyAny>,
    keys: &mut Keys<'_, 'py>,
) -> PyResult<()> {
    match read_keys(block, lead, keys)? {
        Ok(()) => block.end_lead(),
        Err((kind, e)) => block.reject_lead(kind, e),
    }
    Ok(())
}

/// `Ok(Err(why))` when the lead is rejected.
fn read_keys<'py>(
    block: &mut OwnedRows,
    lead: &Bound<'py, PyAny>,
    keys: &mut Keys<'_, 'py>,
) -> PyResult<Result<(), (LeadErrorKind, String)>> {
    let py = lead.py();
    let names = keys.set.core.names();
    if let Ok(dict) = lead.cast::<PyDict>() {
        if keys.adopt {
            keys.adopt_from(dict);
        }
        for (key, name) in keys.lookup.iter().zip(names) {
            match dict.get_item(key) {
                Ok(Some(v)) => push_value(&v, block)?,
                Ok(None) => block.push(Raw::Null),
                Err(e) => return cannot_read(py, name, e),
            }
        }
        let renamed = keys.set.core.renamed().iter().zip(&keys.set.renamed);
        for (r, ((_, at), name)) in renamed.enumerate() {
            if block.is_absent(*at) && dict.contains(name.bind(py)).unwrap_or(false) {
                block.misnamed(r);
            }
        }
        return Ok(Ok(()));
    }
    if lead.is_instance_of::<PyMapping>() {
        for (key, name) in keys.set.interned.iter().zip(names) {
            match lead.get_item(key.bind(py)) {
                Ok(v) => push_value(&v, block)?,
                Err(e) if e.is_instance_of::<PyKeyError>(py) => block.push(Raw::Null),
                Err(e) => return cannot_read(py, name, e),
            }
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
