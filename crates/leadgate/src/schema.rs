//! Column-wise input (a CSV header, an Arrow or DataFrame schema) checked
//! against the declared fields before any lead is read: a renamed column
//! would otherwise make a field missing in every lead, silently.

use crate::check::Field;

/// One declared field that no column provides.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MissingColumn {
    /// The field's name in the agreement.
    pub field: String,
    /// The input key the field reads (`from "…"`, else its name).
    pub key: String,
    /// The closest existing column, if one is close.
    pub suggestion: Option<String>,
}

/// Declared fields whose input key no column provides.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
pub struct MissingColumns {
    /// Each missing column, in field declaration order.
    pub missing: Vec<MissingColumn>,
}

impl std::fmt::Display for MissingColumns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.missing.len();
        write!(
            f,
            "the input has no column for {n} declared field{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for m in &self.missing {
            write!(f, " `{}`", m.key)?;
            if m.key != m.field {
                write!(f, " (field {})", m.field)?;
            }
            if let Some(s) = &m.suggestion {
                write!(f, ", did you mean `{s}`?")?;
            }
            if !std::ptr::eq(m, self.missing.last().unwrap_or(m)) {
                f.write_str(";")?;
            }
        }
        Ok(())
    }
}

/// Letters and digits only, lower-cased: `Lead Source`, `lead_source` and
/// `LeadSource` read the same.
fn folded(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column closest to `key`: the same but for case, then the same but
/// for case, spaces and punctuation, then the nearest by edit distance
/// (at most a third of the key's length).
pub(crate) fn closest<'c>(
    key: &str,
    columns: impl Iterator<Item = &'c str> + Clone,
) -> Option<String> {
    if let Some(c) = columns
        .clone()
        .find(|c| c.to_lowercase() == key.to_lowercase())
    {
        return Some(c.to_string());
    }
    let key_folded = folded(key);
    if let Some(c) = columns
        .clone()
        .find(|c| !key_folded.is_empty() && folded(c) == key_folded)
    {
        return Some(c.to_string());
    }
    let limit = (key.chars().count() / 3).max(1);
    columns
        .map(|c| {
            (
                strsim::levenshtein(&key.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

pub(crate) fn check_columns<C: AsRef<str>>(
    fields: &[Field],
    columns: &[C],
) -> Result<(), MissingColumns> {
    let names = columns.iter().map(AsRef::as_ref);
    let mut missing = Vec::new();
    for f in fields {
        if names.clone().any(|c| c == f.key)
            || missing.iter().any(|m: &MissingColumn| m.key == f.key)
        {
            continue;
        }
        missing.push(MissingColumn {
            field: f.name.clone(),
            key: f.key.clone(),
            suggestion: closest(&f.key, names.clone()),
        });
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(MissingColumns { missing })
    }
}
