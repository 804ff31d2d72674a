//! How the columnar evaluator takes each condition: one that reads at
//! most one field (and no score) once per distinct value of that field's
//! column; one that reads only scores, potentials, the total and grades
//! as column loops; an `and` / `or` / `not` by Kleene logic over its
//! parts' columns; any other leaf (a field compared with a score or with
//! another field) row by row.

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
    /// Reads several fields, or fields and derived values, in one leaf
    /// (`visits > engagement`): evaluated per row, with those fields'
    /// values (distinct, deduplicated slots) in place.
    Row(SmallVec<[u32; 4]>, Cond),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

/// `c` planned.
pub(super) fn cond(c: &Cond) -> Node {
    let mut reads = Reads::default();
    c.reads(&mut |r| reads.note(r));
    let any_field = !reads.slots.is_empty();
    let mut slots = reads.slots.clone();
    slots.sort_unstable();
    slots.dedup();
    if let Some(slot) = reads.single() {
        return Node::Field(slot, c.clone());
    }
    // `and` / `or` / `not` are taken apart even when only derived values
    // are read: their leaves (`score >= 30`) then run as column loops.
    let all = |parts: &[Cond]| parts.iter().map(cond).collect();
    match c {
        Cond::And(parts) => Node::And(all(parts)),
        Cond::Or(parts) => Node::Or(all(parts)),
        Cond::Not(a) => Node::Not(Box::new(cond(a))),
        _ if !any_field => Node::Derived(c.clone()),
        _ => Node::Row(slots, c.clone()),
    }
}

/// The fields a number reads, deduplicated, and whether it reads a
/// derived value.
pub(super) fn num(n: &Num) -> (SmallVec<[u32; 4]>, bool) {
    let mut reads = Reads::default();
    n.reads(&mut |r| reads.note(r));
    reads.slots.sort_unstable();
    reads.slots.dedup();
    (reads.slots, reads.derived)
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
        assert!(matches!(cond(&f(3)), Node::Field(Some(3), _)));
        assert!(matches!(
            cond(&Cond::Const(crate::expr::Tri::True)),
            Node::Field(None, _)
        ));
        assert!(matches!(cond(&score), Node::Derived(_)));
        // One field twice is still one field.
        assert!(matches!(
            cond(&Cond::And(vec![f(2), f(2)])),
            Node::Field(Some(2), _)
        ));
        let mixed = Cond::And(vec![f(1), score.clone(), Cond::Not(Box::new(f(2)))]);
        match cond(&mixed) {
            Node::And(parts) => assert_eq!(parts.len(), 3),
            other => panic!("{other:?}"),
        }
        // A field compared with a score, or with another field, in one
        // comparison: per row, with its fields once each.
        let cross = Cond::NumCmp(CmpOp::Gt, Num::Field(1), Num::Score(0));
        assert!(matches!(cond(&cross), Node::Row(s, _) if s.as_slice() == [1]));
        assert!(matches!(cond(&Cond::Or(vec![f(1), cross])), Node::Or(_)));
        let two = Cond::NumCmp(CmpOp::Gt, Num::Field(2), Num::Field(1));
        let again = Cond::And(vec![
            two.clone(),
            Cond::NumCmp(CmpOp::Lt, Num::Field(1), Num::Field(2)),
        ]);
        assert!(matches!(cond(&two), Node::Row(s, _) if s.as_slice() == [1, 2]));
        assert!(matches!(cond(&again), Node::And(_)));
        assert_eq!(num(&Num::Field(4)).0.as_slice(), [4]);
        assert!(num(&Num::Total).1);
    }
}
