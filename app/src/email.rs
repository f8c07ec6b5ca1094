//! Email addresses, parsed once at the edge so the rest of the code can trust them.
use serde::{Deserialize, Serialize};
use std::fmt;

/// A syntactically valid email address, trimmed and lower-cased: two spellings of one
/// address compare equal, so a person is never invited or registered twice.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses user input; the error is a sentence fit to show next to the field.
    pub fn parse(input: &str) -> Result<Self, String> {
        let address = input.trim().to_lowercase();
        if address.is_empty() {
            return Err("Enter an email address.".into());
        }
        if address.len() > 254 {
            return Err("That email address is too long.".into());
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(format!("“{}” is missing an @.", shorten(&address)));
        };
        if !is_valid_local(local) || !is_valid_domain(domain) {
            return Err(format!(
                "“{}” doesn't look like an email address.",
                shorten(&address)
            ));
        }
        Ok(Self(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_valid_local(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
}

fn is_valid_domain(domain: &str) -> bool {
    domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= 60 {
        text.to_string()
    } else {
        text.chars().take(57).chain("...".chars()).collect()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Addresses are personal data: debug output (and so any log line) shows only the domain.
impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let domain = self.0.split_once('@').map_or("", |(_, d)| d);
        write!(f, "EmailAddress(***@{domain})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_lower_cased() {
        let email = EmailAddress::parse("  Ada.Lovelace@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "ada.lovelace@example.org");
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_sentence() {
        for bad in [
            "",
            "plainaddress",
            "@example.org",
            "a@b",
            "a..b@example.org",
            "a b@example.org",
            "a@-example.org",
            "a@example..org",
        ] {
            let error = EmailAddress::parse(bad).unwrap_err();
            assert!(error.ends_with('.'), "{bad}: {error}");
        }
    }

    #[test]
    fn debug_output_hides_the_person() {
        let email = EmailAddress::parse("ada@example.org").unwrap();
        assert_eq!(format!("{email:?}"), "EmailAddress(***@example.org)");
    }
}
