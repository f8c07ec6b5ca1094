//! Who acts, and what they did, as the audit log names them.
use std::fmt;

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in team member, by user id.
    Member(String),
    /// An API token, by token id.
    Token(String),
    /// A survey's own schedule (opening and closing at their times).
    Schedule,
    /// The operator, through `soundings` commands on the server.
    CommandLine,
}

impl Actor {
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::Member(_) => "member",
            Actor::Token(_) => "token",
            Actor::Schedule => "schedule",
            Actor::CommandLine => "command_line",
        }
    }

    /// The member's or token's id; None for the schedule and the command line.
    pub fn id(&self) -> Option<&str> {
        match self {
            Actor::Member(id) | Actor::Token(id) => Some(id),
            Actor::Schedule | Actor::CommandLine => None,
        }
    }

    /// The member's id, for what a member owns (the surveys they create).
    pub fn member_id(&self) -> Option<&str> {
        match self {
            Actor::Member(id) => Some(id),
            _ => None,
        }
    }

    /// How the log names an actor that has no row of its own.
    pub fn fallback_label(&self) -> &'static str {
        match self {
            Actor::Member(_) => "a removed member",
            Actor::Token(_) => "a deleted token",
            Actor::Schedule => "the survey's schedule",
            Actor::CommandLine => "the command line",
        }
    }
}

/// For logs: `member:<id>`, `token:<id>`, `schedule`, `command_line`.
impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id() {
            Some(id) => write!(f, "{}:{id}", self.kind()),
            None => f.write_str(self.kind()),
        }
    }
}

macro_rules! actions {
    ($($variant:ident => $code:literal, $label:literal;)*) => {
        /// What was done. Each has a stable code (stored, filtered on, exported) and words.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Action { $($variant,)* }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            pub fn code(self) -> &'static str {
                match self { $(Action::$variant => $code,)* }
            }

            pub fn label(self) -> &'static str {
                match self { $(Action::$variant => $label,)* }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some(Action::$variant),)* _ => None }
            }
        }
    };
}

actions! {
    SurveyCreated => "survey.created", "Survey created";
    SurveyEdited => "survey.edited", "Survey edited after opening";
    SurveyOpened => "survey.opened", "Survey opened";
    SurveyClosed => "survey.closed", "Survey closed";
    SurveyReopened => "survey.reopened", "Survey reopened";
    SurveySent => "survey.sent", "Invitations sent";
    SurveyReminded => "survey.reminded", "Reminders sent";
    RecipientsAdded => "survey.recipients_added", "Recipients added";
    ClosingMessageSent => "survey.closing_message_sent", "Closing message sent";
    ContactsImported => "contacts.imported", "Contacts imported";
    ContactErased => "contact.erased", "Contact erased";
    ContactsExported => "contacts.exported", "Contacts exported";
    MemberInvited => "member.invited", "Member invited";
    MemberJoined => "member.joined", "Member joined";
    PasswordChanged => "member.password_changed", "Password changed";
    RoleChanged => "member.role_changed", "Role changed";
    MemberRemoved => "member.removed", "Member removed";
    TokenCreated => "token.created", "API token created";
    TokenRevoked => "token.revoked", "API token revoked";
    WebhookAdded => "webhook.added", "Webhook added";
    WebhookChanged => "webhook.changed", "Webhook paused or resumed";
    WebhookRemoved => "webhook.removed", "Webhook removed";
    SettingsChanged => "settings.changed", "Settings changed";
    AuditExported => "audit.exported", "Audit log exported";
}

/// What a change was about: a kind and an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub kind: &'static str,
    pub id: String,
}

impl Subject {
    pub fn survey(id: impl ToString) -> Self {
        Self {
            kind: "survey",
            id: id.to_string(),
        }
    }
    pub fn member(id: impl ToString) -> Self {
        Self {
            kind: "member",
            id: id.to_string(),
        }
    }
    pub fn token(id: impl ToString) -> Self {
        Self {
            kind: "token",
            id: id.to_string(),
        }
    }
    pub fn webhook(id: impl ToString) -> Self {
        Self {
            kind: "webhook",
            id: id.to_string(),
        }
    }
}

/// One entry as the log page and the export show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub entry_id: String,
    pub at: i64,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub action: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    /// The survey's title, member's address, token's or webhook's name, while it exists.
    pub subject_label: Option<String>,
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_code_parses_back_to_its_action_and_codes_are_unique() {
        let mut codes = std::collections::HashSet::new();
        for action in Action::ALL {
            assert_eq!(Action::parse(action.code()), Some(*action));
            assert!(codes.insert(action.code()), "{}", action.code());
        }
        assert_eq!(Action::parse("survey.deleted"), None);
    }

    #[test]
    fn an_actor_is_logged_as_its_kind_and_id() {
        assert_eq!(Actor::Member("u1".into()).to_string(), "member:u1");
        assert_eq!(Actor::Schedule.to_string(), "schedule");
        assert_eq!(Actor::Token("t1".into()).member_id(), None);
    }
}
