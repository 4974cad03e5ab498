//! What an assertion means for control: the one reading of a claim, at the
//! level of sides, that the control graph, the reconciliation and the scores
//! all share.

use super::claim::Assertion;
use super::ids::{ActorId, ClaimId};

/// Who controls a location.
///
/// Ordered by variant, then side: held states by side id, then
/// `Contested`, then `Unknown` (the order the reconciliation lists a
/// location's states in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ControlState {
    /// Held by this side.
    Held(ActorId),
    /// No side in firm control.
    Contested,
    /// Before any evidence.
    Unknown,
}

/// A set of control states: one state, or every state but one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateSet {
    /// Exactly this state.
    Is(ControlState),
    /// Any state but this one.
    Not(ControlState),
}

impl StateSet {
    /// The state the set names (the one it is, or the one it excludes).
    pub fn state(self) -> ControlState {
        match self {
            StateSet::Is(x) | StateSet::Not(x) => x,
        }
    }

    /// Whether the set excludes its named state.
    pub fn is_negated(self) -> bool {
        matches!(self, StateSet::Not(_))
    }

    /// The complement.
    pub fn complement(self) -> StateSet {
        match self {
            StateSet::Is(x) => StateSet::Not(x),
            StateSet::Not(x) => StateSet::Is(x),
        }
    }

    /// Whether `x` lies in the set.
    pub fn contains(self, x: ControlState) -> bool {
        match self {
            StateSet::Is(y) => x == y,
            StateSet::Not(y) => x != y,
        }
    }

    /// Whether the two sets share no state. Every location has at least
    /// three states (two sides and contested), so two complements always
    /// share one.
    pub fn is_disjoint(self, other: StateSet) -> bool {
        match (self, other) {
            (StateSet::Is(x), StateSet::Is(y)) => x != y,
            (StateSet::Is(x), StateSet::Not(y)) | (StateSet::Not(y), StateSet::Is(x)) => x == y,
            (StateSet::Not(_), StateSet::Not(_)) => false,
        }
    }
}

/// What a claim says about control, at the level of sides (an actor's
/// root); see [`Dataset::meaning`](crate::Dataset::meaning).
///
/// | assertion | meaning |
/// |---|---|
/// | `holds S` | `Throughout(Held(S))`: S held it at every instant of the window |
/// | `contested` | `Throughout(Contested)`: no side held it firmly at any instant |
/// | `captured S` | `Took(S)`: at some instant of the window S took it, and held it right after (and someone else right before) |
/// | `withdrew S` | `Left(S)`: at some instant of the window S stopped holding it (S held it right before, not right after) |
/// | `denies C` | `Denial(C)`: the claim C is false |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Meaning {
    /// A state at every instant of the window.
    Throughout(ControlState),
    /// A capture by the side at some instant of the window.
    Took(ActorId),
    /// A withdrawal of the side at some instant of the window.
    Left(ActorId),
    /// The named claim is false.
    Denial(ClaimId),
}

impl Meaning {
    /// The meaning of an assertion, given how an actor maps to its side.
    pub fn of(assertion: Assertion, side_of: impl Fn(ActorId) -> ActorId) -> Meaning {
        match assertion {
            Assertion::Holds(a) => Meaning::Throughout(ControlState::Held(side_of(a))),
            Assertion::Contested => Meaning::Throughout(ControlState::Contested),
            Assertion::Captured(a) => Meaning::Took(side_of(a)),
            Assertion::Withdrew(a) => Meaning::Left(side_of(a)),
            Assertion::Denies(c) => Meaning::Denial(c),
        }
    }

    /// Whether it reports a change (a capture or a withdrawal) rather than a state.
    pub fn is_event(self) -> bool {
        matches!(self, Meaning::Took(_) | Meaning::Left(_))
    }

    /// What it says of the state: throughout the window for a state, right
    /// after the change for an event; `None` for a denial.
    pub fn after(self) -> Option<StateSet> {
        match self {
            Meaning::Throughout(x) => Some(StateSet::Is(x)),
            Meaning::Took(s) => Some(StateSet::Is(ControlState::Held(s))),
            Meaning::Left(s) => Some(StateSet::Not(ControlState::Held(s))),
            Meaning::Denial(_) => None,
        }
    }

    /// What an event says of the state right before the change: someone
    /// else before a capture, the side itself before a withdrawal; `None`
    /// for a state or a denial.
    pub fn before(self) -> Option<StateSet> {
        match self {
            Meaning::Took(_) | Meaning::Left(_) => self.after().map(StateSet::complement),
            Meaning::Throughout(_) | Meaning::Denial(_) => None,
        }
    }

    /// The one state it puts the location in (`holds`, `captured`,
    /// `contested`); `None` for a withdrawal or a denial.
    pub fn stated(self) -> Option<ControlState> {
        match self.after() {
            Some(StateSet::Is(x)) => Some(x),
            _ => None,
        }
    }

    /// The side it puts in control (`holds` and `captured`): its place in
    /// the chain of claimed holders.
    pub fn holder(self) -> Option<ActorId> {
        match self.stated() {
            Some(ControlState::Held(side)) => Some(side),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(i: usize) -> ActorId {
        ActorId::new(i).unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn events_say_opposite_things_before_and_after() {
        let (s, t) = (ControlState::Held(side(0)), ControlState::Held(side(1)));
        let took = Meaning::Took(side(0));
        assert_eq!(took.after(), Some(StateSet::Is(s)));
        assert_eq!(took.before(), Some(StateSet::Not(s)));
        let left = Meaning::Left(side(0));
        assert_eq!(left.after(), Some(StateSet::Not(s)));
        assert_eq!(left.before(), Some(StateSet::Is(s)));
        assert_eq!(Meaning::Throughout(t).before(), None);
        assert_eq!(left.stated(), None);
        assert_eq!(took.holder(), Some(side(0)));
        assert_eq!(Meaning::Throughout(ControlState::Contested).holder(), None);
    }

    #[test]
    fn disjoint_sets() {
        let (s, t) = (ControlState::Held(side(0)), ControlState::Held(side(1)));
        assert!(StateSet::Is(s).is_disjoint(StateSet::Is(t)));
        assert!(!StateSet::Is(s).is_disjoint(StateSet::Is(s)));
        assert!(StateSet::Is(s).is_disjoint(StateSet::Not(s)));
        assert!(StateSet::Not(s).is_disjoint(StateSet::Is(s)));
        assert!(!StateSet::Not(s).is_disjoint(StateSet::Is(t)));
        assert!(!StateSet::Not(s).is_disjoint(StateSet::Not(t)));
        assert!(StateSet::Not(s).contains(t) && !StateSet::Not(s).contains(s));
    }

    #[test]
    fn held_states_sort_before_contested_and_unknown() {
        let mut states = vec![
            ControlState::Unknown,
            ControlState::Contested,
            ControlState::Held(side(1)),
            ControlState::Held(side(0)),
        ];
        states.sort();
        assert_eq!(
            states,
            [ControlState::Held(side(0)), ControlState::Held(side(1)), ControlState::Contested, ControlState::Unknown]
        );
    }
}
