//! Types of the team's accounts, shared by the server and the browser.
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a team member may do. Each role includes the ones below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads surveys and results.
    Viewer,
    /// Also builds surveys and sends them.
    Editor,
    /// Also manages the team.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Editor, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Viewer => "Viewer",
            Role::Editor => "Editor",
            Role::Admin => "Admin",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Role::Viewer => "reads surveys and results",
            Role::Editor => "builds and sends surveys",
            Role::Admin => "also manages the team",
        }
    }

    /// Whether this role may do what `required` may do.
    pub fn includes(self, required: Role) -> bool {
        self >= required
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "viewer" => Ok(Role::Viewer),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "“{other}” is not a role; choose admin, editor or viewer."
            )),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The signed-in team member, as the pages need to know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub user_id: String,
    pub email: String,
    pub role: Role,
}

#[cfg(feature = "ssr")]
impl CurrentUser {
    /// The member, as the audit log and the use cases name who acts.
    pub fn actor(&self) -> crate::audit::Actor {
        crate::audit::Actor::Member(self.user_id.clone())
    }
}

/// One row of the team page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user_id: String,
    pub email: String,
    pub role: Role,
    pub created_at: i64,
    /// Invited and not joined yet; None for a member who has chosen a password.
    pub invitation: Option<Invitation>,
}

/// An invitation waiting for its member to choose a password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    /// Until when its link works (0: long expired).
    pub until: i64,
    pub expired: bool,
}

/// The minimum password length: long passphrases beat complexity rules.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Bounds the work Argon2 is asked to do for one request.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A password that meets the length policy. Its `Debug` never prints it.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: String) -> Result<Self, String> {
        let chars = input.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(format!(
                "Use at least {MIN_PASSWORD_CHARS} characters (a short phrase works well)."
            ));
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(format!("Use at most {MAX_PASSWORD_CHARS} characters."));
        }
        Ok(Self(input))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_admin_includes_every_role_and_a_viewer_only_itself() {
        assert!(Role::Admin.includes(Role::Editor));
        assert!(Role::Admin.includes(Role::Viewer));
        assert!(Role::Editor.includes(Role::Viewer));
        assert!(!Role::Editor.includes(Role::Admin));
        assert!(!Role::Viewer.includes(Role::Editor));
    }

    #[test]
    fn roles_parse_from_their_names_in_any_case() {
        assert_eq!("Admin".parse::<Role>(), Ok(Role::Admin));
        assert_eq!(" viewer ".parse::<Role>(), Ok(Role::Viewer));
        assert!("owner".parse::<Role>().is_err());
    }

    #[test]
    fn passwords_shorter_than_twelve_characters_are_refused() {
        assert!(NewPassword::parse("elevenchars".into()).is_err());
        assert!(NewPassword::parse("twelve chars".into()).is_ok());
        assert!(NewPassword::parse("ü".repeat(12)).is_ok());
        assert!(NewPassword::parse("x".repeat(257)).is_err());
    }

    #[test]
    fn a_password_never_appears_in_debug_output() {
        let password = NewPassword::parse("correct horse battery".into()).unwrap();
        assert_eq!(format!("{password:?}"), "NewPassword(***)");
    }
}
