//! A regex as its Thompson NFA, stored in a compiled agreement and run by
//! the bounded backtracker or the PikeVM of `regex-automata`: what a
//! runtime without the regex compiler matches with (feature `runtime-regex`; docs/wasm.md,
//! "The form runtime").
//!
//! The NFA is the one the regex compiler builds for the pattern (as
//! `regex::RegexBuilder` would read it); it is written state by state and
//! rebuilt with `regex-automata`'s NFA builder, which needs neither the
//! regex parser nor the Unicode tables: case folding and Unicode classes are
//! already byte ranges in it. Unicode word boundaries (`\b`) are looked up
//! at search time in the small table of word characters the PikeVM carries.
//! Every engine of `regex-automata` gives the same `is_match` for the same
//! NFA, so a rebuilt regex answers as the compiled one (tested).

use regex_automata::nfa::thompson::{self, State, Transition, WhichCaptures};
#[cfg(any(test, feature = "runtime-regex"))]
use regex_automata::nfa::thompson::{backtrack::BoundedBacktracker, pikevm::PikeVM};
use regex_automata::util::look::{Look, LookMatcher};
#[cfg(any(test, feature = "runtime-regex"))]
use regex_automata::util::pool::Pool;
use regex_automata::util::primitives::StateID;
use regex_automata::util::syntax;

/// One NFA state as stored. Transitions name states by their index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Step {
    /// Bytes `lo..=hi` lead to `next`.
    Range(u8, u8, u32),
    /// Sorted, disjoint byte ranges, each to its state.
    Ranges(Vec<(u8, u8, u32)>),
    /// An assertion (`Look`, as its bit) before `next`.
    Look(u32, u32),
    /// Epsilon transitions, the first preferred.
    Union(Vec<u32>),
    /// The start (`false`) or end of the whole match (group 0), then `next`.
    Capture(bool, u32),
    /// No way out.
    Fail,
    /// The pattern matches.
    Match,
}

/// A regex's NFA as stored in a compiled agreement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredNfa {
    /// The start state of an anchored search, and of an unanchored one.
    pub starts: (u32, u32),
    /// Whether empty matches must fall on UTF-8 boundaries.
    pub utf8: bool,
    /// The line terminator of `(?m)^` and `$`.
    pub line_terminator: u8,
    /// The states, by index.
    pub steps: Vec<Step>,
}

/// The NFA the regex compiler builds for `pattern` with `flags` (as the
/// `matches` operator reads them), within `size_limit` bytes.
pub fn compile(
    pattern: &str,
    flags: &str,
    size_limit: usize,
) -> Result<thompson::NFA, Box<thompson::BuildError>> {
    thompson::Compiler::new()
        .syntax(syntax_config(flags))
        .configure(
            thompson::NFA::config()
                .which_captures(WhichCaptures::Implicit)
                .nfa_size_limit(Some(size_limit))
                .shrink(false),
        )
        .build(pattern)
        .map_err(Box::new)
}

/// The syntax `regex::RegexBuilder` reads a pattern with, given `flags`.
pub fn syntax_config(flags: &str) -> syntax::Config {
    syntax::Config::new()
        .case_insensitive(flags.contains('i'))
        .multi_line(flags.contains('m'))
        .dot_matches_new_line(flags.contains('s'))
        .ignore_whitespace(flags.contains('x'))
        .nest_limit(64)
        .utf8(true)
}

fn id(s: StateID) -> u32 {
    s.as_u32()
}

/// `nfa` written state by state.
pub fn store(nfa: &thompson::NFA) -> StoredNfa {
    let steps = nfa.states().iter().map(|state| match state {
        State::ByteRange { trans } => Step::Range(trans.start, trans.end, id(trans.next)),
        State::Sparse(s) => Step::Ranges(
            (s.transitions.iter())
                .map(|t| (t.start, t.end, id(t.next)))
                .collect(),
        ),
        State::Dense(d) => {
            // 256 targets, 0 for none: as ranges of equal targets.
            let mut ranges: Vec<(u8, u8, u32)> = Vec::new();
            for (byte, next) in (0..=255u8).zip(d.transitions.iter()) {
                match ranges.last_mut() {
                    _ if *next == StateID::ZERO => {}
                    Some(r) if r.2 == id(*next) && r.1.checked_add(1) == Some(byte) => r.1 = byte,
                    _ => ranges.push((byte, byte, id(*next))),
                }
            }
            match ranges[..] {
                [] => Step::Fail,
                [(lo, hi, next)] => Step::Range(lo, hi, next),
                _ => Step::Ranges(ranges),
            }
        }
        State::Look { look, next } => Step::Look(look.as_repr(), id(*next)),
        State::Union { alternates } => Step::Union(alternates.iter().map(|s| id(*s)).collect()),
        State::BinaryUnion { alt1, alt2 } => Step::Union(vec![id(*alt1), id(*alt2)]),
        State::Capture { next, slot, .. } => Step::Capture(slot.as_usize() % 2 == 1, id(*next)),
        State::Fail => Step::Fail,
        State::Match { .. } => Step::Match,
    });
    StoredNfa {
        starts: (id(nfa.start_anchored()), id(nfa.start_unanchored())),
        utf8: nfa.is_utf8(),
        line_terminator: nfa.look_matcher().get_line_terminator(),
        steps: steps.collect(),
    }
}

impl StoredNfa {
    /// Rebuilds the NFA, within `size_limit` bytes. A stored NFA is checked
    /// first (every state it names exists, ranges are ordered, assertions
    /// are known, only the whole match is captured), so that crafted bytes
    /// give an error, never a panic.
    pub fn build(&self, size_limit: usize) -> Result<thompson::NFA, String> {
        let n = self.steps.len();
        let state = |s: u32| {
            (s as usize)
                .lt(&n)
                .then(|| StateID::new(s as usize).ok())
                .flatten()
                .ok_or_else(|| format!("its regex automaton names state {s} of {n}"))
        };
        let range = |lo: u8, hi: u8, next: u32| match lo <= hi {
            true => Ok(Transition {
                start: lo,
                end: hi,
                next: state(next)?,
            }),
            false => Err("its regex automaton has a byte range out of order".to_string()),
        };
        let fail = |e: thompson::BuildError| format!("its regex automaton does not build: {e}");
        let mut b = thompson::Builder::new();
        b.set_utf8(self.utf8);
        b.set_size_limit(Some(size_limit)).map_err(fail)?;
        let mut look = LookMatcher::new();
        look.set_line_terminator(self.line_terminator);
        b.set_look_matcher(look);
        b.start_pattern().map_err(fail)?;
        for step in &self.steps {
            match step {
                Step::Range(lo, hi, next) => b.add_range(range(*lo, *hi, *next)?),
                Step::Ranges(ranges) => {
                    let ordered = ranges.windows(2).all(|w| w[0].1 < w[1].0);
                    if !ordered {
                        return Err("its regex automaton has byte ranges out of order".into());
                    }
                    let ranges = ranges.iter().map(|(lo, hi, next)| range(*lo, *hi, *next));
                    b.add_sparse(ranges.collect::<Result<_, _>>()?)
                }
                Step::Look(bit, next) => {
                    let look = Look::from_repr(*bit)
                        .ok_or_else(|| format!("its regex automaton has no assertion {bit}"))?;
                    b.add_look(state(*next)?, look)
                }
                // The compiler writes a union of two or more (a union of
                // one is an epsilon jump, which the builder follows: a
                // crafted loop of them would never end).
                Step::Union(alternates) if alternates.len() < 2 => {
                    return Err("its regex automaton has a union of fewer than two".into())
                }
                Step::Union(alternates) => {
                    let alternates = alternates.iter().map(|s| state(*s));
                    b.add_union(alternates.collect::<Result<_, _>>()?)
                }
                Step::Capture(false, next) => b.add_capture_start(state(*next)?, 0, None),
                Step::Capture(true, next) => b.add_capture_end(state(*next)?, 0),
                Step::Fail => b.add_fail(),
                Step::Match => b.add_match(),
            }
            .map_err(fail)?;
        }
        if !self
            .steps
            .iter()
            .any(|s| matches!(s, Step::Capture(false, _)))
        {
            // The builder's captures need group 0 opened somewhere.
            return Err("its regex automaton does not capture the match".into());
        }
        let (anchored, unanchored) = (state(self.starts.0)?, state(self.starts.1)?);
        b.finish_pattern(anchored).map_err(fail)?;
        b.build(anchored, unanchored).map_err(fail)
    }
}

/// What a searching thread needs: a cache of each engine.
#[cfg(any(test, feature = "runtime-regex"))]
pub struct Caches {
    vm: thompson::pikevm::Cache,
    bt: thompson::backtrack::Cache,
}

/// Makes a searching thread's caches.
#[cfg(any(test, feature = "runtime-regex"))]
type NewCaches =
    Box<dyn Fn() -> Caches + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

/// A regex run on its NFA: by the bounded backtracker on texts short enough
/// for it (most field values: it is the faster there), else by the PikeVM.
/// Both answer `is_match` alike for the same NFA.
#[cfg(any(test, feature = "runtime-regex"))]
pub struct Vm {
    vm: PikeVM,
    bt: BoundedBacktracker,
    caches: Pool<Caches, NewCaches>,
}

#[cfg(any(test, feature = "runtime-regex"))]
impl Vm {
    /// The engines of `nfa`.
    pub fn new(nfa: thompson::NFA) -> Result<Vm, String> {
        let bt = BoundedBacktracker::new_from_nfa(nfa.clone()).map_err(|e| format!("{e}"))?;
        let vm = PikeVM::new_from_nfa(nfa).map_err(|e| format!("{e}"))?;
        Ok(Vm::of(vm, bt))
    }

    fn of(vm: PikeVM, bt: BoundedBacktracker) -> Vm {
        let (v, b) = (vm.clone(), bt.clone());
        let caches: NewCaches = Box::new(move || Caches {
            vm: v.create_cache(),
            bt: b.create_cache(),
        });
        Vm {
            vm,
            bt,
            caches: Pool::new(caches),
        }
    }

    /// Whether the regex matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        let mut caches = self.caches.get();
        if text.len() <= self.bt.max_haystack_len() {
            if let Ok(found) = self.bt.try_is_match(&mut caches.bt, text) {
                return found;
            }
        }
        self.vm.is_match(&mut caches.vm, text)
    }

    /// The NFA it runs.
    pub fn nfa(&self) -> &thompson::NFA {
        self.vm.get_nfa()
    }
}

#[cfg(any(test, feature = "runtime-regex"))]
impl Clone for Vm {
    fn clone(&self) -> Vm {
        Vm::of(self.vm.clone(), self.bt.clone())
    }
}

#[cfg(any(test, feature = "runtime-regex"))]
impl std::fmt::Debug for Vm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vm").field("nfa", self.nfa()).finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_stored_nfa_reads_back_as_written() {
        for (p, f) in [
            (r"\b(vp|director|c[eft]o)\b", "i"),
            (r"^\w+@\w+\.\w+$", ""),
            ("(?m)^a$", "s"),
        ] {
            let stored = store(&compile(p, f, 1 << 22).unwrap());
            let again = store(&stored.build(1 << 22).unwrap());
            assert_eq!(stored, again, "{p}/{f}");
        }
    }

    #[test]
    fn crafted_automata_are_errors() {
        let good = store(&compile("ab", "", 1 << 20).unwrap());
        let n = good.steps.len() as u32;
        let mut bad = good.clone();
        bad.starts.1 = n;
        assert!(bad.build(1 << 20).unwrap_err().contains("names state"));
        let mut bad = good.clone();
        bad.steps.push(Step::Range(9, 3, 0));
        assert!(bad.build(1 << 20).unwrap_err().contains("out of order"));
        let mut bad = good.clone();
        bad.steps.push(Step::Look(1 << 30, 0));
        assert!(bad.build(1 << 20).is_err());
        let mut bad = good.clone();
        bad.steps.push(Step::Union(vec![n]));
        assert!(bad.build(1 << 20).unwrap_err().contains("fewer than two"));
        let mut bad = good.clone();
        bad.steps.retain(|s| !matches!(s, Step::Capture(false, _)));
        assert!(bad.build(1 << 20).is_err());
        assert!(good.build(16).is_err(), "the size limit holds");
    }

    #[test]
    fn a_text_too_long_for_the_backtracker_goes_to_the_pikevm() {
        let vm = Vm::new(compile(r"\b(vp|director)\b", "i", 1 << 22).unwrap()).unwrap();
        let long = "é ".repeat(vm.bt.max_haystack_len());
        assert!(long.len() > vm.bt.max_haystack_len());
        assert!(!vm.is_match(&long));
        assert!(vm.is_match(&format!("{long}VP")));
        assert!(!vm.is_match(&format!("{long}éVP")), "Unicode word boundary");
        assert!(vm.is_match("Director"));
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (any::<u8>(), any::<u8>(), 0..12u32).prop_map(|(a, b, n)| Step::Range(a, b, n)),
            prop::collection::vec((any::<u8>(), any::<u8>(), 0..12u32), 0..4)
                .prop_map(Step::Ranges),
            (0..1200u32, 0..12u32).prop_map(|(l, n)| Step::Look(l, n)),
            prop::collection::vec(0..12u32, 0..4).prop_map(Step::Union),
            (any::<bool>(), 0..12u32).prop_map(|(e, n)| Step::Capture(e, n)),
            Just(Step::Fail),
            Just(Step::Match),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        /// Any stored automaton builds or is an error, and one that builds
        /// searches without panicking.
        #[test]
        fn crafted_automata_never_panic(
            steps in prop::collection::vec(step(), 1..10),
            starts in (0..12u32, 0..12u32),
            text in "[a-c\n é]{0,6}",
        ) {
            let stored = StoredNfa { starts, utf8: true, line_terminator: b'\n', steps };
            if let Ok(vm) = stored.build(1 << 20).and_then(Vm::new) {
                let _ = vm.is_match(&text);
            }
        }
    }
}
