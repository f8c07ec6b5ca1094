//! The DNS records a sending domain needs, worked out once from the configuration.
use serde::{Deserialize, Serialize};

/// How this instance sends, as the delivery page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSetup {
    /// MAIL_FROM as configured, e.g. `Product team <product@example.org>`.
    pub from: String,
    /// The host of SMTP_URL; None while mail stays in the development mailbox.
    pub relay_host: Option<String>,
    /// `rsa-sha256` or `ed25519-sha256` when a DKIM key signs every message.
    pub dkim_algorithm: Option<String>,
    pub records: Vec<DnsRecord>,
    /// The bounce mailbox; its counts are filled in when the page asks.
    pub intake: crate::distribution::intake::model::IntakeStatus,
}

/// One record to publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsRecord {
    /// DKIM, SPF or DMARC.
    pub purpose: String,
    /// The record's full name, without the final dot.
    pub name: String,
    pub value: String,
    /// What the team has to decide or fill in, if anything.
    pub note: String,
}

impl DnsRecord {
    /// The record in zone-file form. DNS splits a TXT value into strings of at most 255
    /// bytes; an RSA-2048 key is longer than that, so it is written as several.
    pub fn zone_line(&self) -> String {
        let pieces: Vec<String> = self
            .value
            .as_bytes()
            .chunks(255)
            .map(|chunk| format!("\"{}\"", String::from_utf8_lossy(chunk)))
            .collect();
        format!("{}. IN TXT ( {} )", self.name, pieces.join(" "))
    }
}

/// The records for mail from `from_domain` through `relay_host`: the DKIM key's record
/// when there is one, SPF naming the relay's senders where the relay is a well-known
/// provider, and a DMARC policy that starts by only reporting.
pub fn dns_records(
    from_domain: &str,
    relay_host: Option<&str>,
    dkim: Option<DnsRecord>,
) -> Vec<DnsRecord> {
    let mut records: Vec<DnsRecord> = dkim.into_iter().collect();
    let (spf, note) = match relay_host.map(str::to_ascii_lowercase).as_deref() {
        Some(host) if host.ends_with("office365.com") || host.ends_with("outlook.com") => (
            "v=spf1 include:spf.protection.outlook.com -all".to_string(),
            "Microsoft 365 sends for you. Merge with any SPF record the domain already has: a \
             domain may have only one.",
        ),
        Some(host) if host.ends_with("gmail.com") || host.ends_with("google.com") => (
            "v=spf1 include:_spf.google.com -all".to_string(),
            "Google Workspace sends for you. Merge with any SPF record the domain already has: \
             a domain may have only one.",
        ),
        _ => (
            "v=spf1 mx a -all".to_string(),
            "Replace “mx a” with what your relay documents (an include: or the relay's ip4: \
             address). Merge with any SPF record the domain already has: a domain may have \
             only one.",
        ),
    };
    records.push(DnsRecord {
        purpose: "SPF".into(),
        name: from_domain.to_string(),
        value: spf,
        note: note.into(),
    });
    records.push(DnsRecord {
        purpose: "DMARC".into(),
        name: format!("_dmarc.{from_domain}"),
        value: format!("v=DMARC1; p=none; rua=mailto:dmarc-reports@{from_domain}; adkim=r; aspf=r"),
        note: "p=none only asks for reports. Once they show your mail passing, move to \
               p=quarantine, then p=reject. The rua mailbox receives daily reports."
            .into(),
    });
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_txt_record_is_split_into_strings_of_at_most_255_bytes() {
        let record = DnsRecord {
            purpose: "DKIM".into(),
            name: "s._domainkey.example.org".into(),
            value: "p".repeat(400),
            note: String::new(),
        };
        let line = record.zone_line();
        assert!(line.starts_with("s._domainkey.example.org. IN TXT ( \""));
        let strings: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        assert_eq!(
            strings.iter().map(|s| s.len()).collect::<Vec<_>>(),
            [255, 145]
        );
    }

    #[test]
    fn spf_names_microsoft_365_when_mail_goes_through_it() {
        let records = dns_records("example.org", Some("smtp.office365.com"), None);
        assert_eq!(records[0].purpose, "SPF");
        assert_eq!(
            records[0].value,
            "v=spf1 include:spf.protection.outlook.com -all"
        );
        assert_eq!(records[1].name, "_dmarc.example.org");
    }
}
