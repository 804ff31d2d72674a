//! Which conditions the columnar evaluator can take column by column, and
//! how: a condition that reads at most one field (and no score) is
//! evaluated once per distinct value of that field's column; one that
//! reads only scores, potentials, the total and grades, once per row; an
//! `and` / `or` / `not` of such parts, by Kleene logic over the parts'
//! columns. Anything else (a comparison of a field with a score) is not
//! covered, and the caller scores per lead.

use smallvec::SmallVec;

use crate::expr::{Cond, Num, Read};

/// What an expression reads.
#[derive(Default)]
struct Reads {
    /// Field slots (may repeat).
    slots: SmallVec<[u32; 4]>,
    /// Scores, potentials, the total or grades.
    derived: bool,
}

impl Reads {
    fn note(&mut self, r: Read) {
        match r {
            Read::Field(s) => self.slots.push(s),
            _ => self.derived = true,
        }
    }

    /// The one field read, if no more than one is and nothing derived:
    /// `Some(None)` for an expression that reads no field.
    fn single(mut self) -> Option<Option<u32>> {
        self.slots.sort_unstable();
        self.slots.dedup();
        match (self.derived, self.slots.as_slice()) {
            (false, []) => Some(None),
            (false, [s]) => Some(Some(*s)),
            _ => None,
        }
    }
}

/// A condition, planned.
#[derive(Debug)]
pub(super) enum Node {
    /// Reads at most one field and nothing derived: evaluated once per
    /// distinct value of that field (once in all for none).
    Field(Option<u32>, Cond),
    /// Reads only derived values: evaluated per row.
    Derived(Cond),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

/// `c` planned, or `None` when a part of it mixes fields with derived
/// values or reads two fields at once outside `and` / `or` / `not`.
pub(super) fn cond(c: &Cond) -> Option<Node> {
    let mut reads = Reads::default();
    c.reads(&mut |r| reads.note(r));
    let any_field = !reads.slots.is_empty();
    if let Some(slot) = reads.single() {
        return Some(Node::Field(slot, c.clone()));
    }
    // `and` / `or` / `not` are taken apart even when only derived values
    // are read: their leaves (`score >= 30`) then run as column loops.
    let all = |parts: &[Cond]| parts.iter().map(cond).collect::<Option<Vec<_>>>();
    match c {
        Cond::And(parts) => all(parts).map(Node::And),
        Cond::Or(parts) => all(parts).map(Node::Or),
        Cond::Not(a) => cond(a).map(|n| Node::Not(Box::new(n))),
        _ if !any_field => Some(Node::Derived(c.clone())),
        _ => None,
    }
}

/// The one field a number reads (`Some(None)`: none), or `None` when it
/// reads more or a derived value.
pub(super) fn num(n: &Num) -> Option<Option<u32>> {
    let mut reads = Reads::default();
    n.reads(&mut |r| reads.note(r));
    reads.single()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::syntax::ast::CmpOp;

    #[test]
    fn plans_by_what_each_part_reads() {
        let f = |s| Cond::FieldCmp(CmpOp::Gt, s, 1.0);
        let score = Cond::ScoreCmp(CmpOp::Gt, 0, 1.0);
        assert!(matches!(cond(&f(3)), Some(Node::Field(Some(3), _))));
        assert!(matches!(
            cond(&Cond::Const(crate::expr::Tri::True)),
            Some(Node::Field(None, _))
        ));
        assert!(matches!(cond(&score), Some(Node::Derived(_))));
        // One field twice is still one field.
        assert!(matches!(
            cond(&Cond::And(vec![f(2), f(2)])),
            Some(Node::Field(Some(2), _))
        ));
        let mixed = Cond::And(vec![f(1), score.clone(), Cond::Not(Box::new(f(2)))]);
        match cond(&mixed) {
            Some(Node::And(parts)) => assert_eq!(parts.len(), 3),
            other => panic!("{other:?}"),
        }
        // A field compared with a score in one comparison is not covered.
        let cross = Cond::NumCmp(CmpOp::Gt, Num::Field(1), Num::Score(0));
        assert!(cond(&cross).is_none());
        assert!(cond(&Cond::Or(vec![f(1), cross])).is_none());
        let two = Cond::NumCmp(CmpOp::Gt, Num::Field(1), Num::Field(2));
        assert!(cond(&two).is_none());
        assert_eq!(num(&Num::Field(4)), Some(Some(4)));
        assert_eq!(num(&Num::Total), None);
    }
}
