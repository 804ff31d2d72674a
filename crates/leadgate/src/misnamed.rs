//! Leads keyed by a field's name where the field reads another key (`from
//! "Company Size"`, keyed `company_size`): counted while scoring, so that
//! every front warns once per field, in the same words. Decisions do not
//! change: keys match exactly.

use std::fmt;
use std::sync::{Mutex, PoisonError};

use crate::{Agreement, Lead};

/// A field some leads were keyed by the name of rather than the key it
/// reads. Its `Display` is the warning every front gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MisnamedKey {
    /// The field's name (the key those leads had).
    pub name: String,
    /// The key the field reads (which those leads lacked).
    pub key: String,
    /// How many leads.
    pub leads: u64,
}

impl fmt::Display for MisnamedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let MisnamedKey { name, key, leads } = self;
        let (who, whom) = match leads {
            1 => ("a lead has".to_string(), "that lead"),
            n => (format!("{n} leads have"), "them"),
        };
        write!(
            f,
            "{who} the key \"{name}\" but no \"{key}\": the field {name} reads \"{key}\", so it is missing in {whom} (did you mean \"{key}\"?)"
        )
    }
}

/// Counts [`MisnamedKey`]s over the leads of a call (from any thread).
#[derive(Debug, Default)]
pub struct MisnamedKeys(Mutex<Vec<MisnamedKey>>);

impl MisnamedKeys {
    /// Counts the misnamed keys of one lead bound to `agreement` (see
    /// [`Agreement::misnamed_keys`]; nearly always none).
    pub fn note(&self, agreement: &Agreement, lead: &Lead) {
        let mut fields = agreement.misnamed_keys(lead).peekable();
        if fields.peek().is_none() {
            return;
        }
        let mut notes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        for f in fields {
            match notes.iter_mut().find(|n| n.name == f.name()) {
                Some(n) => n.leads += 1,
                None => notes.push(MisnamedKey {
                    name: f.name().into(),
                    key: f.key().into(),
                    leads: 1,
                }),
            }
        }
    }

    /// The fields counted since the last call, in the order first seen.
    pub fn take(&self) -> Vec<MisnamedKey> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_per_field_and_told_in_words() -> Result<(), String> {
        let a = Agreement::compile(
            "agreement \"a\"\nfields { size : number from \"Company Size\" }\n\
             score s { +10 \"Big\" when size > 100 }\n\
             route { sales \"Big lead\" when s >= 10\n nurture otherwise }\n",
        )
        .map_err(|e| e.to_string())?;
        let notes = MisnamedKeys::default();
        for _ in 0..2 {
            notes.note(&a, &a.bind_json(r#"{"size": 5}"#, crate::OnBadValue::Error));
        }
        notes.note(
            &a,
            &a.bind_json(r#"{"Company Size": 5}"#, crate::OnBadValue::Error),
        );
        let taken = notes.take();
        assert_eq!(taken.len(), 1);
        assert_eq!(
            taken[0].to_string(),
            "2 leads have the key \"size\" but no \"Company Size\": the field size reads \"Company Size\", so it is missing in them (did you mean \"Company Size\"?)"
        );
        assert!(notes.take().is_empty());
        let one = MisnamedKey {
            leads: 1,
            ..taken[0].clone()
        };
        assert!(one.to_string().starts_with("a lead has the key \"size\""));
        assert!(one.to_string().contains("missing in that lead"));
        Ok(())
    }
}
