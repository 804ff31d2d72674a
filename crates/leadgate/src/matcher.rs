//! `matches /re/flags`: the compiled regex, and a fast path for the regexes
//! agreements mostly hold — a literal alternation such as
//! `/^(google|bing)$/i` or `/will revert|next batch/i` — answered by plain
//! string comparisons instead of a regex search. The fast path gives the
//! regex's answer for every text it accepts; anything else goes to the regex.
//!
//! The regex is the regex crate's engine (`regex_automata::meta`), built
//! with the settings `regex::RegexBuilder` uses, so that its memory can be
//! counted: an agreement's regexes share one budget (see `check`).

use regex_automata::{meta, util::syntax, MatchKind};

/// Where a literal alternation must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// `^(a|b)$`
    Whole,
    /// `^(a|b)`
    Start,
    /// `(a|b)$`
    End,
    /// `a|b`
    Anywhere,
}

/// A regex that is a literal alternation, as plain strings.
#[derive(Debug, Clone)]
struct Literals {
    anchor: Anchor,
    /// `i` flag: the alternatives are lower-cased and compared with the
    /// lower-cased text, which is exact only for ASCII texts.
    fold: bool,
    alternatives: Box<[Box<str>]>,
    /// For [`Anchor::Anywhere`]: a substring searcher per alternative, built
    /// once (`str::contains` sets one up on every call).
    finders: Box<[memchr::memmem::Finder<'static>]>,
}

/// A compiled `matches` pattern.
#[derive(Debug, Clone)]
pub struct Matcher {
    regex: meta::Regex,
    literals: Option<Literals>,
    /// The pattern and flags as written (the analysis reads them).
    pattern: Box<str>,
    flags: Box<str>,
}

/// A matcher is stored as its pattern and flags, and built again when it
/// is read, within the same memory limit a regex of an agreement has (see
/// `check`): the same regex, the same answers.
impl serde::Serialize for Matcher {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&(&*self.pattern, &*self.flags), s)
    }
}

impl<'de> serde::Deserialize<'de> for Matcher {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Matcher, D::Error> {
        let (pattern, flags): (String, String) = serde::Deserialize::deserialize(d)?;
        let limit = crate::syntax::limits::MAX_REGEX_BYTES;
        Matcher::build(&pattern, &flags, limit).map_err(|e| {
            serde::de::Error::custom(format!("the regex /{pattern}/{flags} does not build: {e}"))
        })
    }
}

/// Why a pattern did not compile.
pub type BuildError = Box<meta::BuildError>;

/// Bytes an alternative may hold: none has a meaning in the regex syntax
/// (outside a character class, without the `x` flag).
fn plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b" _-,'&:;!@%=<>~/\"#`".contains(&b)
}

impl Literals {
    /// Recognises `^?(?:(…|…)|…|…)$?` with plain alternatives. `flags` as
    /// written after the closing slash.
    fn of(pattern: &str, flags: &str) -> Option<Literals> {
        if !flags.bytes().all(|f| f == b'i' || f == b's') {
            // `m` changes `^`/`$`, `x` changes spaces and `#`.
            return None;
        }
        let fold = flags.contains('i');
        let mut body = pattern;
        let start = match body.strip_prefix('^') {
            Some(rest) => {
                body = rest;
                true
            }
            None => false,
        };
        let end = match body.strip_suffix('$') {
            Some(rest) => {
                body = rest;
                true
            }
            None => false,
        };
        let grouped = body
            .strip_prefix("(?:")
            .or_else(|| body.strip_prefix('('))
            .and_then(|b| b.strip_suffix(')'));
        let inner = match grouped {
            Some(inner) => inner,
            // `^a|b$` is `(^a)|(b$)`: only one alternative may go ungrouped
            // beside an anchor.
            None if (start || end) && body.contains('|') => return None,
            None => body,
        };
        let mut alternatives = Vec::new();
        for alt in inner.split('|') {
            if alt.is_empty() || !alt.bytes().all(plain) {
                return None;
            }
            alternatives.push(if fold {
                alt.to_ascii_lowercase().into_boxed_str()
            } else {
                alt.into()
            });
        }
        let anchor = match (start, end) {
            (true, true) => Anchor::Whole,
            (true, false) => Anchor::Start,
            (false, true) => Anchor::End,
            (false, false) => Anchor::Anywhere,
        };
        let finders = match anchor {
            Anchor::Anywhere => alternatives
                .iter()
                .map(|a| memchr::memmem::Finder::new(a.as_bytes()).into_owned())
                .collect(),
            _ => Box::default(),
        };
        Some(Literals {
            anchor,
            fold,
            alternatives: alternatives.into(),
            finders,
        })
    }

    fn is_match(&self, text: &str) -> bool {
        if self.anchor == Anchor::Anywhere {
            let hay = text.as_bytes();
            return self.finders.iter().any(|f| f.find(hay).is_some());
        }
        self.alternatives.iter().any(|a| match self.anchor {
            Anchor::Whole => text == &**a,
            Anchor::Start => text.starts_with(&**a),
            Anchor::End => text.ends_with(&**a),
            Anchor::Anywhere => text.contains(&**a),
        })
    }
}

impl Matcher {
    /// Compiles `pattern` with `flags` as written (`i`, `m`, `s`, `x`; any
    /// other letter is ignored: the checker rejects it first), as
    /// `regex::RegexBuilder` would, with at most `size_limit` bytes for its
    /// automaton and for its lazy DFA's cache.
    pub fn build(pattern: &str, flags: &str, size_limit: usize) -> Result<Matcher, BuildError> {
        let syntax = syntax::Config::new()
            .case_insensitive(flags.contains('i'))
            .multi_line(flags.contains('m'))
            .dot_matches_new_line(flags.contains('s'))
            .ignore_whitespace(flags.contains('x'))
            .nest_limit(64)
            .utf8(true);
        let config = meta::Config::new()
            .nfa_size_limit(Some(size_limit))
            .hybrid_cache_capacity(size_limit)
            .match_kind(MatchKind::LeftmostFirst)
            .utf8_empty(true);
        let regex = meta::Builder::new()
            .configure(config)
            .syntax(syntax)
            .build(pattern)
            .map_err(Box::new)?;
        Ok(Matcher {
            regex,
            literals: Literals::of(pattern, flags),
            pattern: pattern.into(),
            flags: flags.into(),
        })
    }

    /// The heap memory of the compiled regex, in bytes (not counting the
    /// caches each searching thread keeps, which are bounded by the size
    /// limit given to [`Matcher::build`]).
    pub fn memory_usage(&self) -> usize {
        self.regex.memory_usage()
    }

    /// The pattern as written between the slashes, and its flags.
    pub fn source(&self) -> (&str, &str) {
        (&self.pattern, &self.flags)
    }

    /// Whether the pattern matches `text` (`lower`: its lower-cased form).
    pub fn is_match(&self, text: &str, lower: &str) -> bool {
        match &self.literals {
            // Unicode case folding matches `k` with the Kelvin sign and `s`
            // with `ſ`: only an ASCII text folds like its ASCII lower case.
            Some(l) if l.fold && text.is_ascii() => l.is_match(lower),
            Some(l) if !l.fold => l.is_match(text),
            _ => self.regex.is_match(text),
        }
    }

    /// Whether the fast path applies to this pattern (for tests).
    #[cfg(test)]
    pub fn is_literal(&self) -> bool {
        self.literals.is_some()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn matcher(pattern: &str, flags: &str) -> Matcher {
        Matcher::build(pattern, flags, 1 << 20).unwrap()
    }

    /// The regex crate's own answer, for comparison.
    fn reference(pattern: &str, flags: &str) -> regex::Regex {
        regex::RegexBuilder::new(pattern)
            .case_insensitive(flags.contains('i'))
            .multi_line(flags.contains('m'))
            .dot_matches_new_line(flags.contains('s'))
            .ignore_whitespace(flags.contains('x'))
            .build()
            .unwrap()
    }

    fn lower(s: &str) -> String {
        s.to_lowercase()
    }

    #[test]
    fn recognises_literal_alternations() {
        for (p, f) in [
            ("^(google|bing|organic search)$", "i"),
            ("will revert|next batch", "i"),
            ("^(?:a|b)", ""),
            ("(x-y|z)$", "is"),
            ("^single$", ""),
            ("word", "i"),
        ] {
            assert!(matcher(p, f).is_literal(), "{p}/{f}");
        }
        for (p, f) in [
            ("^a|b$", "i"),
            (r"\bvp\b", "i"),
            ("a.b", ""),
            ("a|", ""),
            ("(a)|(b)", ""),
            ("^(a|b)$", "m"),
            ("a b", "x"),
            ("c[eft]o", "i"),
            ("a+", ""),
        ] {
            assert!(!matcher(p, f).is_literal(), "{p}/{f}");
        }
    }

    #[test]
    fn unicode_case_folding_goes_to_the_regex() {
        // U+212A KELVIN SIGN folds to `k`.
        let m = matcher("^(kelvin)$", "i");
        let text = "\u{212A}elvin";
        assert!(m.is_match(text, &lower(text)));
        let m = matcher("^(ſ)$", "i");
        assert!(!m.is_literal());
        let m = matcher("^(s)$", "i");
        assert!(m.is_match("ſ", "ſ"));
    }

    const PATTERNS: &[(&str, &str)] = &[
        ("^(google|bing|organic search)$", "i"),
        ("^(google|bing|organic search)$", ""),
        ("will revert|next batch|want to take admission", "i"),
        ("will revert|next batch", ""),
        ("^(?:ab|b)", "i"),
        ("(ab|k)$", "i"),
        ("^ks$", "is"),
        ("s", "i"),
    ];

    proptest! {
        #[test]
        fn same_answer_as_the_regex(
            text in "[a-cA-CkKsS \u{212A}\u{17F}É]{0,6}(google|Bing|ORGANIC SEARCH|will revert|Next Batch)?[a-ckKs \u{212A}]{0,4}"
        ) {
            for (p, f) in PATTERNS {
                let m = matcher(p, f);
                prop_assert!(m.is_literal(), "{}", p);
                let want = reference(p, f).is_match(&text);
                prop_assert_eq!(m.regex.is_match(&text), want);
                prop_assert_eq!(m.is_match(&text, &lower(&text)), want, "{}/{} on {:?}", p, f, text);
            }
        }

        /// Built here as `regex::RegexBuilder` builds it: the same answers
        /// for the shapes that are not literal alternations too.
        #[test]
        fn built_like_the_regex_crate(text in "[a-cvpVP \n\r.0-9éÉ\u{212A}_-]{0,12}") {
            for (p, f) in [
                (r"\bvp\b", "i"),
                ("^a.b$", "ms"),
                ("^a.b$", ""),
                ("a b # comment", "x"),
                (r"\w+\d{2}", ""),
                ("[[:alpha:]]+-", "i"),
                (r"^\s*$", "m"),
                ("", ""),
                ("(?i)k|é", ""),
            ] {
                let want = reference(p, f).is_match(&text);
                prop_assert_eq!(matcher(p, f).is_match(&text, &lower(&text)), want, "{}/{} on {:?}", p, f, text);
            }
        }
    }
}
