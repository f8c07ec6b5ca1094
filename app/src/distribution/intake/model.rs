//! What became of a message from the bounce mailbox, as the delivery page counts it.
use serde::{Deserialize, Serialize};

/// The outcome of one message read from the bounce mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// A permanent failure: the invitation is bounced and the address suppressed.
    Bounced,
    /// A temporary failure (4.x.x): noted, nothing changed.
    Delayed,
    /// A spam complaint: the contact is unsubscribed.
    Complained,
    /// An unsubscribe request by mail: the contact is unsubscribed.
    Unsubscribed,
    /// Read, but about nothing Soundings sent (or someone already erased).
    Unmatched,
    /// Not understood: kept in the unreadable folder for a person.
    Unreadable,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Bounced,
        Outcome::Delayed,
        Outcome::Complained,
        Outcome::Unsubscribed,
        Outcome::Unmatched,
        Outcome::Unreadable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Bounced => "bounced",
            Outcome::Delayed => "delayed",
            Outcome::Complained => "complained",
            Outcome::Unsubscribed => "unsubscribed",
            Outcome::Unmatched => "unmatched",
            Outcome::Unreadable => "unreadable",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }

    /// How the delivery page names it.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Bounced => "Bounced (address suppressed)",
            Outcome::Delayed => "Delayed (noted)",
            Outcome::Complained => "Spam complaints (unsubscribed)",
            Outcome::Unsubscribed => "Unsubscribed by mail",
            Outcome::Unmatched => "About no message of ours",
            Outcome::Unreadable => "Unreadable (kept for you)",
        }
    }
}

/// The bounce mailbox as the delivery page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeStatus {
    /// BOUNCE_ADDRESS, when set.
    pub bounce_address: Option<String>,
    /// The mailbox read (host and folder, never the password), when set.
    pub mailbox: Option<String>,
    /// Where read and unreadable messages are moved.
    pub processed_folder: String,
    pub unreadable_folder: String,
    /// Messages read so far, by outcome, in `Outcome::ALL` order.
    pub counts: Vec<(Outcome, i64)>,
    /// This instance's last read of the mailbox; None before the first.
    pub last_poll: Option<LastPoll>,
}

/// When an instance last read the bounce mailbox, and why it failed if it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastPoll {
    pub at: i64,
    /// The reason, in the IMAP client's or server's words (never the password).
    pub error: Option<String>,
}
