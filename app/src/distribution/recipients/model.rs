//! The recipients table's types, shared by the server and the browser.
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Rows a page of the table holds.
pub const PAGE_SIZE: i64 = 50;

/// The longest search the table takes, in characters.
pub const MAX_SEARCH: usize = 100;

/// Where one invitation stands, each in exactly one: having answered first, then having
/// unsubscribed or bounced (which end the conversation), then opened, sent, shown in the
/// team's product (the in-product panel), not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecipientStatus {
    NotSent,
    Sent,
    Shown,
    Opened,
    Completed,
    Bounced,
    Unsubscribed,
}

impl RecipientStatus {
    pub const ALL: [Self; 7] = [
        Self::NotSent,
        Self::Sent,
        Self::Shown,
        Self::Opened,
        Self::Completed,
        Self::Bounced,
        Self::Unsubscribed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotSent => "not_sent",
            Self::Sent => "sent",
            Self::Shown => "shown",
            Self::Opened => "opened",
            Self::Completed => "completed",
            Self::Bounced => "bounced",
            Self::Unsubscribed => "unsubscribed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotSent => "Not sent",
            Self::Sent => "Sent",
            Self::Shown => "Shown in product",
            Self::Opened => "Opened",
            Self::Completed => "Completed",
            Self::Bounced => "Bounced",
            Self::Unsubscribed => "Unsubscribed",
        }
    }

    /// Opening the link and answering say what a person did with the survey: never shown
    /// of one person in an anonymous survey, nor to a viewer.
    pub fn tells_who_answered(self) -> bool {
        matches!(self, Self::Opened | Self::Completed)
    }

    /// The status `as_str` gives this name, if any.
    pub fn named(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The status a form or address names; empty is "any".
    pub fn parse(text: &str) -> Result<Option<Self>, AppError> {
        match text.trim() {
            "" => Ok(None),
            text => Self::named(text).map(Some).ok_or_else(|| {
                AppError::field("status", "Choose a status from the list, or any status.")
            }),
        }
    }
}

/// One invitation as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientRow {
    pub email: String,
    pub name: String,
    pub community: Option<String>,
    pub invited_at: i64,
    pub status: RecipientStatus,
    /// When they completed it: None where who answered is not shown.
    pub completed_at: Option<i64>,
    /// The mail server's reply for a bounced or failed invitation.
    pub delivery_error: Option<String>,
    /// The invitation is queued and waits for the sender (or its sending window).
    pub queued: bool,
}

/// What the table is narrowed to, as the page's address carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientQuery {
    pub search: String,
    pub status: String,
    pub community: String,
    pub tier: String,
    /// The cursor of the page to show: empty for the first.
    pub after: String,
}

/// One page of the table with everything its filters offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientPage {
    pub rows: Vec<RecipientRow>,
    /// The next page's cursor, if there is one.
    pub next: Option<String>,
    /// Rows per status under the search, community and tier filters (not the status
    /// filter), in `RecipientStatus::ALL` order, statuses not shown left out.
    pub counts: Vec<(RecipientStatus, i64)>,
    /// Rows matching every filter.
    pub matching: i64,
    /// Every invitation of the survey.
    pub total: i64,
    /// Whether the table says who opened and who completed the survey.
    pub shows_who_answered: bool,
    /// Whether the survey is anonymous (the reason, then, that it does not).
    pub anonymous: bool,
    /// (id, name) of the communities and tiers of this survey's recipients.
    pub communities: Vec<(String, String)>,
    pub tiers: Vec<(String, String)>,
}
