//! The one namespace of fields, lists, scores and grades, and "did you mean".

use rustc_hash::FxHashMap;

use crate::diagnostic::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entity {
    Field(u32),
    List(u32),
    Score(u32),
    Grade(u32),
}

#[derive(Debug, Default)]
pub(crate) struct Names {
    map: FxHashMap<String, (Entity, Span)>,
    order: Vec<String>,
}

impl Names {
    pub fn get(&self, name: &str) -> Option<(Entity, Span)> {
        self.map.get(name).copied()
    }
    pub fn insert(&mut self, name: &str, e: Entity, span: Span) {
        self.order.push(name.to_string());
        self.map.insert(name.to_string(), (e, span));
    }
    /// Names in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Entity)> {
        self.order
            .iter()
            .filter_map(|n| self.map.get(n).map(|(e, _)| (n.as_str(), *e)))
    }
}

/// The closest candidate, if close enough to be a likely typo.
pub(crate) fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let lower = name.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = strsim::damerau_levenshtein(&lower, &c.to_lowercase());
        let limit = (name.chars().count().max(c.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let names = ["title", "company_size", "industry"];
        assert_eq!(
            suggest("titel", names.into_iter()).as_deref(),
            Some("did you mean `title`?")
        );
        assert_eq!(
            suggest("compnay_size", names.into_iter()).as_deref(),
            Some("did you mean `company_size`?")
        );
        assert_eq!(suggest("budget", names.into_iter()), None);
    }
}
