//! Verdicts a union turns around: where a change has no witness the way
//! it was judged and a `oneOf` or `not` encloses it, the witness the other
//! way round, and whom that breaks.

use super::{Documents, Side, Witness, is_request, valid_sides, values};
use crate::breaking::{Breaks, Change};

/// Said of a change whose effect on the whole value is the opposite of its
/// effect where it was made.
pub(super) const UNION_TURNED: &str =
    ", which the enclosing union turns the other way for the whole value";

/// Where a change has no witness the way it was judged, the witness the
/// other way round, and whom that breaks. A `oneOf` admits what exactly one
/// branch admits: where branches overlap, a branch that admits more makes
/// the whole admit less, so a widening there narrows the whole.
pub(super) fn turned_by_union(
    documents: &Documents,
    change: &Change,
    validators: &mut values::Validators,
) -> Option<(Witness, Breaks)> {
    let judged = valid_sides(change);
    let in_union = [&change.location, &change.change]
        .iter()
        .any(|said| said.contains("oneOf") || said.contains(" › not"));
    if !in_union {
        return None;
    }
    [Side::Old, Side::New]
        .into_iter()
        .filter(|side| !judged.contains(side))
        .find_map(|side| {
            let search = (side, values::Reading::TurnedByUnion);
            match values::witness(documents, change, search, validators) {
                values::Found::Witness(witness)
                    if values::shown_alone(documents, change, &witness) =>
                {
                    Some(witness)
                }
                _ => None,
            }
        })
        .map(|witness| {
            let breaks = breaks_shown_by(change, witness.valid_in);
            (witness, breaks)
        })
}

/// Whom a witness valid in `valid_in` shows the change breaks.
fn breaks_shown_by(change: &Change, valid_in: Side) -> Breaks {
    let request = is_request(change);
    // Old admits what new refuses: narrowed.
    let narrowed = valid_in == Side::Old;
    if narrowed == request {
        Breaks::CLIENTS
    } else {
        Breaks::SERVERS
    }
}
