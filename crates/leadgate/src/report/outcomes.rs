//! A report's outcome values as the fronts read them: truthy or falsy,
//! and a few of those that are neither, for the error of an outcome that
//! no lead holds.

/// Reads the outcome values of a report's leads ([`parse_outcome`]),
/// keeping the first [`SAMPLE`](Self::SAMPLE) distinct values that are
/// neither truthy nor falsy, in the order first seen: what a front names
/// when [`Report::outcome_unknown`] (the outcome column holds something
/// else, such as a form type).
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

    /// None read yet.
    pub fn new() -> OutcomeValues {
        OutcomeValues::default()
    }

    /// A lead's outcome value read as truthy or falsy (`None`: missing, or
    /// neither; the latter is kept as a sample).
    pub fn read(&mut self, value: Option<&str>) -> Option<bool> {
        let value = value?;
        let known = crate::parse_outcome(value);
        if known.is_none()
            && self.unreadable.len() < Self::SAMPLE
            && !self.unreadable.iter().any(|v| v == value)
        {
            self.unreadable.push(value.to_string());
        }
        known
    }

    /// The first distinct values read that are neither truthy nor falsy,
    /// in the order first seen.
    pub fn unreadable(&self) -> &[String] {
        &self.unreadable
    }
}

#[cfg(test)]
mod tests {
    use super::OutcomeValues;

    #[test]
    fn keeps_the_first_distinct_unreadable_values_in_order() {
        let mut o = OutcomeValues::new();
        let read: Vec<_> = ["1", "b", "no", "a", "b", " TRUE "]
            .iter()
            .map(|v| o.read(Some(v)))
            .collect();
        assert_eq!(
            read,
            [Some(true), None, Some(false), None, None, Some(true)]
        );
        assert_eq!(o.unreadable(), ["b", "a"]);
        for i in 0..20 {
            o.read(Some(&format!("v{i}")));
        }
        assert_eq!(o.unreadable().len(), OutcomeValues::SAMPLE);
        assert_eq!(o.unreadable()[2..4], ["v0", "v1"]);
        assert_eq!(o.unreadable().last().map(String::as_str), Some("v7"));
    }
}
