use crate::email::EmailAddress;
use std::collections::BTreeSet;

/// How many addresses one paste may add, so one request stays quick.
pub const MAX_RECIPIENTS_PER_BATCH: usize = 1000;

/// Parses a pasted list of addresses (one per line, or separated by commas, semicolons or
/// spaces; `Name <address>` is accepted). Either every entry is valid, giving the distinct
/// addresses in order, or the errors say which entries to fix.
pub fn parse_recipient_list(text: &str) -> Result<Vec<EmailAddress>, Vec<String>> {
    let entries: Vec<&str> = text
        .split(['\n', '\r', ',', ';'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    if entries.is_empty() {
        return Err(vec!["Paste at least one email address.".into()]);
    }
    let mut seen = BTreeSet::new();
    let mut addresses = Vec::new();
    let mut errors = Vec::new();
    for entry in entries {
        match EmailAddress::parse(address_part(entry)) {
            Ok(email) if seen.insert(email.clone()) => addresses.push(email),
            Ok(_) => {}
            Err(message) => errors.push(message),
        }
    }
    if addresses.len() > MAX_RECIPIENTS_PER_BATCH {
        errors.push(format!(
            "That is {} addresses; add at most {MAX_RECIPIENTS_PER_BATCH} at a time.",
            addresses.len()
        ));
    }
    if errors.is_empty() {
        Ok(addresses)
    } else {
        Err(errors)
    }
}

/// `Ada Lovelace <ada@example.org>` → `ada@example.org`.
fn address_part(entry: &str) -> &str {
    match (entry.rfind('<'), entry.rfind('>')) {
        (Some(start), Some(end)) if start < end => &entry[start + 1..end],
        _ => entry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_list_yields_distinct_addresses_in_order() {
        let list = "b@example.org\nA@example.org, b@example.org; Ada <ada@example.org>\n\n";
        let parsed: Vec<String> = parse_recipient_list(list)
            .unwrap()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            parsed,
            ["b@example.org", "a@example.org", "ada@example.org"]
        );
    }

    #[test]
    fn every_bad_entry_is_reported_and_nothing_is_accepted() {
        let errors = parse_recipient_list("good@example.org\nnope\nalso bad@").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors[0].contains("nope"));
    }

    #[test]
    fn an_empty_paste_asks_for_an_address() {
        assert_eq!(
            parse_recipient_list(" \n ").unwrap_err(),
            ["Paste at least one email address."]
        );
    }
}

/// A line of the development mailbox.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MailSummary {
    pub mail_id: String,
    pub to_address: String,
    pub subject: String,
    pub created_at: i64,
}

/// One message of the development mailbox, opened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MailView {
    pub summary: MailSummary,
    pub text_body: String,
    /// The header block as sent, to check what a mail client would see.
    pub headers: String,
}

/// Where a survey's invitations stand, from the invitation ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Funnel {
    pub invited: i64,
    pub queued: i64,
    pub sent: i64,
    /// People the survey's panel was shown to in the team's product.
    pub shown: i64,
    pub failed: i64,
    pub bounced: i64,
    pub opened: i64,
    pub started: i64,
    pub completed: i64,
    pub unsubscribed: i64,
    /// Invited, subscribed contacts whose invitation has not been queued yet.
    pub unsent: i64,
    /// People a reminder would reach now: sent, not answered, subscribed, none waiting.
    pub remindable: i64,
    /// Automatic reminders, in days after the invitation; empty when off.
    pub reminder_days: Vec<i64>,
}

/// A membership tier.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tier {
    pub tier_id: String,
    pub name: String,
}

/// A member organisation, with its tier and how many contacts it has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Community {
    pub community_id: String,
    pub name: String,
    pub tier_id: String,
    pub tier: String,
    pub contacts: i64,
    /// Its IANA time zone; empty for the team's.
    pub time_zone: String,
}

/// A person who can be invited.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    pub email: String,
    pub name: String,
    pub community: Option<String>,
    pub role: String,
    pub tags: Vec<String>,
    pub unsubscribed: bool,
    /// Why the address is undeliverable (a hard bounce's reply), when it is.
    pub undeliverable: Option<String>,
    /// The preferred language's code, when one is set.
    pub language: Option<String>,
}

/// Everything the contacts page shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Audience {
    pub tiers: Vec<Tier>,
    pub communities: Vec<Community>,
    /// The first contacts by name (the page shows at most `CONTACTS_SHOWN`).
    pub contacts: Vec<Contact>,
    pub total_contacts: i64,
    /// Contacts whose address bounced for good (at most `CONTACTS_SHOWN`).
    pub undeliverable: Vec<Contact>,
}

/// How many contacts the contacts page lists.
pub const CONTACTS_SHOWN: i64 = 500;

/// A reminder schedule as the form shows it: "3, 7".
pub fn schedule_text(days: &[i64]) -> String {
    days.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which email of a survey: the invitation or the reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EmailKind {
    Invitation,
    Reminder,
}

impl EmailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Reminder => "reminder",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "invitation" => Some(Self::Invitation),
            "reminder" => Some(Self::Reminder),
            _ => None,
        }
    }
}

/// A survey's email wording as the editor shows it (the built-in wording where the
/// survey has none of its own), and its rendering for a sample person.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EmailWording {
    pub kind: EmailKind,
    pub subject: String,
    pub body: String,
    pub preview_subject: String,
    pub preview_text: String,
    /// The survey's own From name (the same for both emails); empty: MAIL_FROM's.
    pub sender_name: String,
    /// MAIL_FROM as configured, which an empty sender name leaves as it is.
    pub default_sender: String,
}
