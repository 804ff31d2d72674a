//! `matches /re/flags`: the compiled regex, and a fast path for the regexes
//! agreements mostly hold — a literal alternation such as
//! `/^(google|bing)$/i` or `/will revert|next batch/i` — answered by plain
//! string comparisons instead of a regex search. The fast path gives the
//! regex's answer for every text it accepts; anything else goes to the regex.
//!
//! The regex is the regex crate's engine (`regex_automata::meta`), built
//! with the settings `regex::RegexBuilder` uses, so that its memory can be
//! counted: an agreement's regexes share one budget (see `check`). With the
//! feature `runtime-regex` it is the pattern's NFA instead, as a compiled
//! agreement stores it (src/automaton.rs), so that a runtime that only
//! loads carries no regex compiler.

use regex_automata::{meta, MatchKind};

#[cfg(any(test, feature = "runtime-regex"))]
use crate::automaton::Vm;
use crate::automaton::{self, StoredNfa};

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
    /// once (`str::contains` sets one up on every call). Not in the form
    /// runtime (feature runtime-regex), where std's `str::contains`, which
    /// it has anyway, finds the same without memchr's searchers (2.5 KB
    /// gzipped).
    #[cfg(not(feature = "runtime-regex"))]
    finders: Box<[memchr::memmem::Finder<'static>]>,
}

/// A compiled `matches` pattern.
#[derive(Debug, Clone)]
pub struct Matcher {
    engine: Engine,
    /// Its heap memory, as the regex crate's engine counts it where it was
    /// compiled (the checker's budget), or the NFA's where it was loaded.
    memory: usize,
    literals: Option<Literals>,
    /// The pattern and flags as written (the analysis reads them).
    pattern: Box<str>,
    flags: Box<str>,
}

/// What answers a pattern that is not a literal alternation.
#[derive(Debug, Clone)]
enum Engine {
    /// The regex crate's engine, built from the pattern.
    #[cfg(not(feature = "runtime-regex"))]
    Meta(meta::Regex),
    /// The pattern's NFA, run by the bounded backtracker or the PikeVM
    /// (feature `runtime-regex`: a runtime that loads compiled agreements
    /// without the regex compiler). Not in other builds, whose matching
    /// stays one engine's.
    #[cfg(any(test, feature = "runtime-regex"))]
    Vm(Vm),
}

/// A matcher is stored as its pattern, its flags and its NFA (the
/// automaton a runtime without the regex compiler runs; src/automaton.rs).
/// It is read back within the same memory limit a regex of an agreement
/// has (see `check`): with the regex compiler, built again from the pattern
/// (the stored NFA must build too); without it, from the NFA. The same
/// regex, the same answers.
impl serde::Serialize for Matcher {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let nfa = match &self.engine {
            #[cfg(not(feature = "runtime-regex"))]
            Engine::Meta(_) => {
                let limit = crate::syntax::limits::MAX_REGEX_BYTES;
                let nfa = automaton::compile(&self.pattern, &self.flags, limit)
                    .map_err(serde::ser::Error::custom)?;
                automaton::store(&nfa)
            }
            #[cfg(any(test, feature = "runtime-regex"))]
            Engine::Vm(vm) => automaton::store(vm.nfa()),
        };
        serde::Serialize::serialize(&(&*self.pattern, &*self.flags, nfa), s)
    }
}

impl<'de> serde::Deserialize<'de> for Matcher {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Matcher, D::Error> {
        let (pattern, flags, nfa): (String, String, StoredNfa) =
            serde::Deserialize::deserialize(d)?;
        let limit = crate::syntax::limits::MAX_REGEX_BYTES;
        let failed = |e: &dyn std::fmt::Display| {
            serde::de::Error::custom(format!("the regex /{pattern}/{flags} does not build: {e}"))
        };
        #[cfg(not(feature = "runtime-regex"))]
        {
            // The stored NFA must build here too, so that a file loads in
            // every build or in none. (It is not compared with the pattern's:
            // another version of the regex compiler may write another NFA
            // of the same regex.)
            nfa.build(limit).map_err(|e| failed(&e))?;
            Matcher::build(&pattern, &flags, limit).map_err(|e| failed(&e))
        }
        #[cfg(feature = "runtime-regex")]
        {
            let vm = nfa.build(limit).and_then(Vm::new).map_err(|e| failed(&e))?;
            Ok(Matcher {
                memory: vm.nfa().memory_usage(),
                engine: Engine::Vm(vm),
                literals: Literals::of(&pattern, &flags),
                pattern: pattern.into(),
                flags: flags.into(),
            })
        }
    }
}

/// Why a pattern did not compile.
#[derive(Debug)]
pub struct BuildError {
    /// The size limit it went over, if that is why.
    pub size_limit: Option<usize>,
    /// What is wrong, in one line.
    pub message: String,
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<meta::BuildError> for BuildError {
    fn from(e: meta::BuildError) -> BuildError {
        // A syntax error's last "error:" line says what is wrong.
        let syntax = e.syntax_error().and_then(|s| {
            let text = s.to_string();
            let line = text.lines().rev().find(|l| l.starts_with("error:"))?;
            Some(line.trim_start_matches("error:").trim().to_string())
        });
        BuildError {
            size_limit: e.size_limit(),
            message: match (e.syntax_error(), syntax) {
                (_, Some(line)) => line,
                (Some(_), None) => "invalid pattern".into(),
                (None, None) => e.to_string(),
            },
        }
    }
}

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
        #[cfg(not(feature = "runtime-regex"))]
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
            #[cfg(not(feature = "runtime-regex"))]
            finders,
        })
    }

    fn is_match(&self, text: &str) -> bool {
        #[cfg(not(feature = "runtime-regex"))]
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
        let config = meta::Config::new()
            .nfa_size_limit(Some(size_limit))
            .hybrid_cache_capacity(size_limit)
            .match_kind(MatchKind::LeftmostFirst)
            .utf8_empty(true);
        let regex = meta::Builder::new()
            .configure(config)
            .syntax(automaton::syntax_config(flags))
            .build(pattern)?;
        let memory = regex.memory_usage();
        #[cfg(not(feature = "runtime-regex"))]
        let engine = Engine::Meta(regex);
        #[cfg(feature = "runtime-regex")]
        let engine = {
            let _ = regex;
            let nfa = automaton::compile(pattern, flags, size_limit).map_err(|e| BuildError {
                size_limit: e.size_limit(),
                message: e.to_string(),
            })?;
            let vm = Vm::new(nfa).map_err(|message| BuildError {
                size_limit: None,
                message,
            })?;
            Engine::Vm(vm)
        };
        Ok(Matcher {
            engine,
            memory,
            literals: Literals::of(pattern, flags),
            pattern: pattern.into(),
            flags: flags.into(),
        })
    }

    /// The heap memory of the compiled regex, in bytes (not counting the
    /// caches each searching thread keeps, which are bounded by the size
    /// limit given to [`Matcher::build`]).
    pub fn memory_usage(&self) -> usize {
        self.memory
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
            _ => match &self.engine {
                #[cfg(not(feature = "runtime-regex"))]
                Engine::Meta(regex) => regex.is_match(text),
                #[cfg(any(test, feature = "runtime-regex"))]
                Engine::Vm(vm) => vm.is_match(text),
            },
        }
    }

    /// Whether the fast path applies to this pattern (for tests).
    #[cfg(test)]
    pub fn is_literal(&self) -> bool {
        self.literals.is_some()
    }

    /// The engine's answer, without the fast path (for tests).
    #[cfg(test)]
    fn engine_is_match(&self, text: &str) -> bool {
        match &self.engine {
            #[cfg(not(feature = "runtime-regex"))]
            Engine::Meta(regex) => regex.is_match(text),
            Engine::Vm(vm) => vm.is_match(text),
        }
    }

    /// This matcher as a runtime without the regex compiler reads it: its
    /// NFA stored, rebuilt and run by the PikeVM (for tests).
    #[cfg(test)]
    pub fn rebuilt(&self) -> Result<Matcher, String> {
        let limit = crate::syntax::limits::MAX_REGEX_BYTES;
        let nfa =
            automaton::compile(&self.pattern, &self.flags, limit).map_err(|e| e.to_string())?;
        let vm = Vm::new(automaton::store(&nfa).build(limit)?)?;
        Ok(Matcher {
            memory: vm.nfa().memory_usage(),
            engine: Engine::Vm(vm),
            literals: self.literals.clone(),
            pattern: self.pattern.clone(),
            flags: self.flags.clone(),
        })
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
                prop_assert_eq!(m.engine_is_match(&text), want);
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
                let rebuilt = matcher(p, f).rebuilt().unwrap();
                prop_assert_eq!(rebuilt.engine_is_match(&text), want, "rebuilt {}/{} on {:?}", p, f, text);
            }
        }

        /// A regex rebuilt from its stored NFA (the runtime's) answers as
        /// the regex crate, Unicode word boundaries and case folding
        /// included.
        #[test]
        fn rebuilt_from_the_stored_nfa(text in "[a-zA-Z \n\r.@0-9éÉßẞ\u{212A}\u{17F}Ωω_-]{0,16}") {
            for (p, f) in [
                (r"\b(vp|vice president|director|head|chief|c[eft]o)\b", "i"),
                (r"\bvp\B", ""),
                (r"^\w+@\w+\.\w{2,}$", ""),
                ("ß|ω", "i"),
                ("(?-u:\\b)a", ""),
                (r"^\s*$", "m"),
                ("a.b", "s"),
                ("[[:upper:]][^a-z]", ""),
                (r"\d+ \p{Greek}", "x"),
                ("k", "i"),
            ] {
                let want = reference(p, f).is_match(&text);
                let rebuilt = matcher(p, f).rebuilt().unwrap();
                prop_assert_eq!(rebuilt.engine_is_match(&text), want, "{}/{} on {:?}", p, f, text);
                prop_assert_eq!(rebuilt.is_match(&text, &lower(&text)), want, "{}/{} on {:?}", p, f, text);
            }
        }
    }
}
