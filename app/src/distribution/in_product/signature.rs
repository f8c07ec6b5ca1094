//! Identity verification for the panel, as chat widgets do it: the team's server signs the
//! signed-in user's address with the survey's secret, and the panel is shown only for an
//! address whose signature checks. A host page can put any address in the snippet; without
//! the secret it cannot sign one.
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Bytes of randomness in a survey's signing secret (256 bits).
pub const SECRET_BYTES: usize = 32;

/// HMAC-SHA256 of the address exactly as the host passes it, keyed with the secret's text,
/// in lower-case hex: what the team's server computes (the snippet panel shows how).
pub fn sign(secret: &str, email: &str) -> String {
    crate::server::token::hex(&mac(secret, email).finalize().into_bytes())
}

/// Whether `signature` (hex, either case) is the address's signature under `secret`,
/// compared in constant time so timing tells nothing about how much of it was right.
pub fn verify(secret: &str, email: &str, signature: &str) -> bool {
    let Some(bytes) = from_hex(signature.trim()) else {
        return false;
    };
    mac(secret, email).verify_slice(&bytes).is_ok()
}

fn mac(secret: &str, email: &str) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(email.as_bytes());
    mac
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_an_independent_hmac_sha256() {
        // python3 -c 'import hmac; print(hmac.new(b"s3cret", b"ada@example.org", "sha256").hexdigest())'
        assert_eq!(
            sign("s3cret", "ada@example.org"),
            "31b916702ab9dcc7a6b6df4fab0f2fa7e188243c5ee8fcb05a6aacf37d5f6e7c"
        );
    }

    #[test]
    fn a_signature_for_another_address_or_secret_is_refused() {
        let good = sign("s3cret", "ada@example.org");
        assert!(verify("s3cret", "ada@example.org", &good));
        assert!(verify("s3cret", "ada@example.org", &good.to_uppercase()));
        assert!(!verify("s3cret", "bob@example.org", &good));
        assert!(!verify("other", "ada@example.org", &good));
        assert!(!verify("s3cret", "ada@example.org", ""));
        assert!(!verify("s3cret", "ada@example.org", &good[..62]));
        assert!(!verify("s3cret", "ada@example.org", "zz"));
    }
}
