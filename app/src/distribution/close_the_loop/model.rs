//! What the Watch step shows of a survey's closing message.
use serde::{Deserialize, Serialize};

/// The subject a closing message starts with.
pub const DEFAULT_SUBJECT: &str = "What we heard about {{ feature }}";

/// A survey's closing message and who it would reach (also `/api/v1`'s answer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClosingMessage {
    /// As saved; empty subject: `DEFAULT_SUBJECT`.
    pub subject: String,
    pub body: String,
    /// The survey has closed, so the message may go.
    pub closed: bool,
    pub anonymous: bool,
    /// Respondents who asked to hear back and may still be written to.
    pub asked: i64,
    /// People it reached who did not answer and may still be written to (never offered in
    /// an anonymous survey).
    pub non_respondents: i64,
    /// When it was sent (seconds since the epoch), and to how many.
    pub sent_at: Option<i64>,
    pub sent_to: i64,
}

/// The response rate of the people a survey reached, split by whether a closing message
/// from an earlier survey had reached them first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeardBack {
    /// Reached by this survey after a closing message of an earlier one: (reached, completed).
    pub told: (i64, i64),
    /// Reached without one: (reached, completed).
    pub not_told: (i64, i64),
}

impl HeardBack {
    /// Completed / reached in percent, for those told and those not; `None` where nobody.
    pub fn rates(&self) -> (Option<f64>, Option<f64>) {
        let rate = |(reached, completed): (i64, i64)| {
            (reached > 0).then(|| 100.0 * completed as f64 / reached as f64)
        };
        (rate(self.told), rate(self.not_told))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_group_has_its_own_rate_and_an_empty_group_none() {
        let split = HeardBack {
            told: (8, 6),
            not_told: (0, 0),
        };
        assert_eq!(split.rates(), (Some(75.0), None));
    }
}
