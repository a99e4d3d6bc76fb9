//! The descriptions of a generated document: one or two sentences on
//! everything, in two wordings that share no sentence, so that a pair of
//! documents can differ in every description and in nothing else.

/// Which of the two wordings a document's descriptions are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    Original,
    Reworded,
}

const OPENINGS: &[&str] = &[
    "The",
    "This",
    "Each",
    "Whether the",
    "When set, the",
    "If present, the",
    "For a",
    "Unique identifier for the",
];

const WORDS: &[&str] = &[
    "object",
    "amount",
    "charged",
    "customer",
    "account",
    "balance",
    "currency",
    "intended",
    "payment",
    "returned",
    "request",
    "settlement",
    "period",
    "schedule",
    "invoice",
    "line",
    "item",
    "attached",
    "created",
    "updated",
    "expanded",
    "resource",
    "identifier",
    "string",
    "value",
    "three-letter",
    "ISO",
    "code",
    "lowercase",
    "supported",
    "smallest",
    "unit",
    "cents",
    "positive",
    "integer",
    "representing",
    "how",
    "much",
    "to",
    "collect",
    "from",
    "the",
    "a",
    "of",
    "in",
    "for",
    "with",
    "on",
    "by",
    "when",
    "this",
    "that",
    "is",
    "be",
    "can",
    "will",
    "may",
    "not",
    "only",
    "after",
    "before",
    "during",
    "until",
    "each",
    "any",
    "set",
    "reason",
    "status",
    "refund",
    "dispute",
    "fee",
    "tax",
    "rate",
    "applied",
    "total",
    "discount",
    "coupon",
    "subscription",
    "trial",
    "end",
    "start",
    "date",
    "timestamp",
    "seconds",
    "since",
    "epoch",
    "livemode",
    "test",
    "mode",
    "key",
    "metadata",
    "pairs",
    "structured",
    "format",
    "useful",
    "storing",
    "additional",
    "information",
];

/// Writes the descriptions of one document, in order: the `n`th
/// description of two documents generated alike is about the same thing,
/// in each document's wording.
#[derive(Debug)]
pub(super) struct Descriptions {
    wording: Wording,
    written: u64,
}

impl Descriptions {
    pub(super) fn new(wording: Wording) -> Self {
        Self {
            wording,
            written: 0,
        }
    }

    /// The next description, about `subject`.
    pub(super) fn about(&mut self, subject: &str) -> String {
        self.written += 1;
        // The words come from a hash of the description's number, not from
        // the generator's random stream: the structure of a document is
        // the same whatever its wording.
        let salt = match self.wording {
            Wording::Original => 0x9e37_79b9_7f4a_7c15,
            Wording::Reworded => 0xd1b5_4a32_d192_ed03,
        };
        let mut state = self.written.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ salt;
        let mut next = |below: usize| {
            state = splitmix64(state);
            (state % below as u64) as usize
        };
        // One short sentence, so that a megabyte of YAML holds about as
        // many schemas as the largest public documents do (Stripe's: about
        // 800 in 4 MB).
        let mut text = String::from(OPENINGS[next(OPENINGS.len())]);
        text.push(' ');
        text.push_str(subject);
        for _ in 0..1 + next(4) {
            text.push(' ');
            text.push_str(WORDS[next(WORDS.len())]);
        }
        text.push('.');
        text
    }
}

/// One step of splitmix64: a well-mixed 64-bit value from any other.
fn splitmix64(state: u64) -> u64 {
    let mut z = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_wordings_differ_everywhere_and_each_is_the_same_every_time() {
        let written = |wording| {
            let mut descriptions = Descriptions::new(wording);
            (0..200)
                .map(|_| descriptions.about("charge"))
                .collect::<Vec<_>>()
        };
        let (original, reworded) = (written(Wording::Original), written(Wording::Reworded));
        assert_eq!(original, written(Wording::Original));
        assert!(original.iter().zip(&reworded).all(|(a, b)| a != b));
        assert!(original.iter().all(|text| text.contains("charge")));
    }
}
