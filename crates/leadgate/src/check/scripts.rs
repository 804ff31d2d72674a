//! Names that look like other names: a rule name, queue or input key with a
//! letter from another script in a word (`leаd` with a Cyrillic `а`), and
//! two names that differ only in look-alike characters (UTS #39, with the
//! `unicode-security` tables rustc uses for its confusable-identifier lints).
//! Identifiers are ASCII (the grammar), so only quoted names are checked.

use rustc_hash::FxHashMap;
use unicode_security::mixed_script::AugmentedScriptSet;
use unicode_security::{skeleton, MixedScript};

use super::Checker;
use crate::diagnostic::codes;
use crate::syntax::ast::{self, Spanned};

/// The scripts of a word's letters, when they are more than one (in the
/// UTS #39 sense: Japanese may mix Han, Hiragana and Katakana).
fn mixed_scripts(word: &str) -> Option<Vec<String>> {
    if word.is_single_script() {
        return None;
    }
    let mut scripts: Vec<String> = Vec::new();
    for c in word.chars() {
        let set = AugmentedScriptSet::for_char(c);
        let name = set.to_string();
        if !set.is_all() && !scripts.contains(&name) {
            scripts.push(name);
        }
    }
    Some(scripts)
}

impl Checker<'_, '_> {
    /// W0005 for names with a word in more than one script, W0006 for two
    /// names of one kind that look alike (reported at the later one).
    pub(crate) fn script_warnings(&mut self, file: &ast::File) {
        let rules = file
            .scores
            .iter()
            .flat_map(|b| b.rules.iter().map(|r| &r.name));
        let routes = file.routes.iter().flat_map(|b| b.rules.iter());
        let named: Vec<&Spanned<String>> = rules
            .chain(routes.clone().filter_map(|r| r.name.as_ref()))
            .collect();
        let queues: Vec<&Spanned<String>> = routes.filter_map(|r| r.queue.as_ref()).collect();
        let keys: Vec<&Spanned<String>> = file
            .fields
            .iter()
            .flat_map(|b| b.decls.iter().filter_map(|d| d.from.as_ref()))
            .collect();
        for (what, names) in [("rule name", named), ("queue", queues), ("input key", keys)] {
            if names.iter().all(|n| n.value.is_ascii()) {
                continue;
            }
            for n in &names {
                self.mixed_script(what, n);
            }
            self.look_alikes(what, &names);
        }
    }

    fn mixed_script(&mut self, what: &str, name: &Spanned<String>) {
        if name.value.is_ascii() {
            return;
        }
        for word in name.value.split(|c: char| !c.is_alphanumeric()) {
            if let Some(scripts) = mixed_scripts(word) {
                self.sink.warning(
                    codes::MIXED_SCRIPT,
                    name.span,
                    format!(
                        "the {what} \"{}\" mixes {} letters in `{word}`: is one a look-alike from another script?",
                        name.value,
                        scripts.join(" and ")
                    ),
                );
                return;
            }
        }
    }

    fn look_alikes(&mut self, what: &str, names: &[&Spanned<String>]) {
        let mut seen: FxHashMap<String, &Spanned<String>> = FxHashMap::default();
        for &n in names {
            let key: String = skeleton(&n.value).collect();
            match seen.get(&key) {
                Some(prev)
                    if prev.value != n.value && !(prev.value.is_ascii() && n.value.is_ascii()) =>
                {
                    let (line, _) =
                        crate::diagnostic::line_col(self.sink.source(), prev.span.start);
                    self.sink.warning(
                        codes::CONFUSABLE,
                        n.span,
                        format!(
                            "the {what} \"{}\" looks like \"{}\" (line {line}): they differ only in look-alike characters",
                            n.value, prev.value
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    seen.insert(key, n);
                }
            }
        }
    }
}
