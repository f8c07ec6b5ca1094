//! What a message in the bounce mailbox says: a delivery status notification (RFC 3464),
//! a complaint (ARF, RFC 5965), a person's unsubscribe mail, or nothing we can read.
//!
//! Which of our messages it is about comes from the per-message return path
//! (`bounces+<message id>@domain`, VERP) it was sent to, or else from the Message-ID of the
//! original message it quotes; our Message-IDs are `<message id@domain>`.
use mailparse::{MailHeaderMap, ParsedMail};

/// One message of the bounce mailbox, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// A delivery status notification about one of our messages.
    Delivery {
        /// Our outbox message id, when the report names it.
        message_id: Option<String>,
        /// The address that failed (Final-Recipient), when given.
        recipient: Option<String>,
        /// The enhanced status code, e.g. `5.1.1`.
        status: String,
        /// A 5.x.x status with action `failed`: the address is dead.
        permanent: bool,
        /// The receiving server's words, to show the team.
        diagnostic: String,
    },
    /// A recipient marked our message as spam (a feedback loop report).
    Complaint {
        message_id: Option<String>,
        recipient: Option<String>,
        feedback_type: String,
    },
    /// A person asked to unsubscribe by mail (the `mailto:` of List-Unsubscribe).
    Unsubscribe {
        message_id: Option<String>,
        sender: Option<String>,
    },
    /// Not one of the above, or not parseable: kept for a person to look at.
    Unreadable { why: String },
}

/// Reads one raw message. `bounce_local` is the local part of BOUNCE_ADDRESS (`bounces`),
/// whose `+tag` names our message.
pub fn read(raw: &[u8], bounce_local: &str) -> Report {
    let mail = match mailparse::parse_mail(raw) {
        Ok(mail) => mail,
        Err(error) => {
            return Report::Unreadable {
                why: format!("not a MIME message: {error}"),
            }
        }
    };
    let verp = verp_message_id(&mail, bounce_local);
    if let Some(status) = find_part(&mail, "message/delivery-status") {
        return delivery(&mail, status, verp);
    }
    if let Some(feedback) = find_part(&mail, "message/feedback-report") {
        let fields = header_groups(&part_body(feedback));
        let field = |name: &str| {
            fields
                .iter()
                .find_map(|group| group.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
                .map(|(_, v)| v.trim().to_string())
        };
        return Report::Complaint {
            message_id: verp.or_else(|| quoted_message_id(&mail)),
            recipient: field("Original-Rcpt-To").map(|v| address_of(&v)),
            feedback_type: field("Feedback-Type").unwrap_or_else(|| "abuse".into()),
        };
    }
    if asks_to_unsubscribe(&mail) {
        let sender = mail
            .headers
            .get_first_value("From")
            .and_then(|from| mailparse::addrparse(&from).ok())
            .and_then(|list| list.extract_single_info())
            .map(|info| info.addr.to_ascii_lowercase());
        return Report::Unsubscribe {
            message_id: verp,
            sender,
        };
    }
    Report::Unreadable {
        why: format!(
            "neither a delivery report, a complaint nor an unsubscribe request ({})",
            mail.ctype.mimetype
        ),
    }
}

fn delivery(mail: &ParsedMail, status: &ParsedMail, verp: Option<String>) -> Report {
    let groups = header_groups(&part_body(status));
    // The first group is about the message; each later one about a recipient. The first
    // recipient that failed or was delayed is the one this report is about.
    let recipients: Vec<&Vec<(String, String)>> = groups.iter().skip(1).collect();
    let get = |group: &Vec<(String, String)>, name: &str| {
        group
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    };
    let chosen = recipients
        .iter()
        .find(|g| {
            matches!(
                get(g, "Action").map(|a| a.to_ascii_lowercase()).as_deref(),
                Some("failed") | Some("delayed")
            )
        })
        .or(recipients.first());
    let Some(group) = chosen else {
        return Report::Unreadable {
            why: "a delivery report without a recipient".into(),
        };
    };
    let status = get(group, "Status").unwrap_or_default();
    let status = status.split_whitespace().next().unwrap_or("").to_string();
    let action = get(group, "Action")
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !is_status_code(&status) {
        return Report::Unreadable {
            why: format!("a delivery report whose status is not a code: {status:?}"),
        };
    }
    Report::Delivery {
        message_id: verp.or_else(|| quoted_message_id(mail)),
        recipient: get(group, "Final-Recipient")
            .or_else(|| get(group, "Original-Recipient"))
            .map(|v| address_of(&v)),
        permanent: status.starts_with("5.") && action == "failed",
        diagnostic: get(group, "Diagnostic-Code")
            .map(|d| {
                d.split_once(';')
                    .map_or(d.clone(), |(_, t)| t.trim().to_string())
            })
            .unwrap_or_else(|| format!("{action} {status}")),
        status,
    }
}

/// `5.1.1`: class 2, 4 or 5, then two numbers.
fn is_status_code(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && matches!(parts[0], "2" | "4" | "5")
        && parts[1..]
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `rfc822; ada@example.org` or `<ada@example.org>` as `ada@example.org`.
fn address_of(field: &str) -> String {
    let value = field.split_once(';').map_or(field, |(_, v)| v);
    value
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_ascii_lowercase()
}

/// The first part (depth first, this one included) of the given type.
fn find_part<'a>(mail: &'a ParsedMail<'a>, mimetype: &str) -> Option<&'a ParsedMail<'a>> {
    if mail.ctype.mimetype.eq_ignore_ascii_case(mimetype) {
        return Some(mail);
    }
    mail.subparts
        .iter()
        .find_map(|part| find_part(part, mimetype))
}

fn part_body(part: &ParsedMail) -> Vec<u8> {
    part.get_body_raw().unwrap_or_default()
}

/// A delivery-status or feedback-report body: groups of header-like fields separated by
/// blank lines.
fn header_groups(body: &[u8]) -> Vec<Vec<(String, String)>> {
    let text = String::from_utf8_lossy(body).replace("\r\n", "\n");
    text.split("\n\n")
        .filter(|group| !group.trim().is_empty())
        .filter_map(|group| {
            let bytes = format!("{}\n\n", group.trim_start_matches('\n'));
            let (headers, _) = mailparse::parse_headers(bytes.as_bytes()).ok()?;
            Some(
                headers
                    .iter()
                    .map(|h| (h.get_key(), h.get_value()))
                    .collect(),
            )
        })
        .collect()
}

/// The `+tag` of the address the report was delivered to, if it is our bounce address.
fn verp_message_id(mail: &ParsedMail, bounce_local: &str) -> Option<String> {
    let prefix = format!("{}+", bounce_local.to_ascii_lowercase());
    ["Delivered-To", "X-Original-To", "Envelope-To", "To"]
        .iter()
        .flat_map(|name| mail.headers.get_all_values(name))
        .flat_map(|value| {
            mailparse::addrparse(&value)
                .map(|list| {
                    list.iter()
                        .flat_map(|a| match a {
                            mailparse::MailAddr::Single(info) => vec![info.addr.clone()],
                            mailparse::MailAddr::Group(group) => {
                                group.addrs.iter().map(|i| i.addr.clone()).collect()
                            }
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
        .find_map(|address| {
            let local = address.split('@').next()?.to_ascii_lowercase();
            local
                .strip_prefix(&prefix)
                .filter(|tag| is_message_id(tag))
                .map(str::to_string)
        })
}

/// Our message ids: a kind and a UUID, e.g. `invite-6f1c…`; nothing else is looked up.
fn is_message_id(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 100
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The Message-ID of the original message a report quotes (a message/rfc822 part or
/// text/rfc822-headers), as our outbox id.
fn quoted_message_id(mail: &ParsedMail) -> Option<String> {
    let original =
        find_part(mail, "message/rfc822").or_else(|| find_part(mail, "text/rfc822-headers"))?;
    let body = part_body(original);
    let (headers, _) = mailparse::parse_headers(&body).ok()?;
    let id = headers.get_first_value("Message-ID")?;
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let local = id.split('@').next()?;
    is_message_id(local).then(|| local.to_string())
}

/// An unsubscribe request by mail: "unsubscribe" in the subject, or as the first words of
/// its text (what the List-Unsubscribe `mailto:` asks a client to send).
fn asks_to_unsubscribe(mail: &ParsedMail) -> bool {
    let subject = mail.headers.get_first_value("Subject").unwrap_or_default();
    if subject.to_ascii_lowercase().contains("unsubscribe") {
        return true;
    }
    let text = find_part(mail, "text/plain")
        .and_then(|part| part.get_body().ok())
        .unwrap_or_default();
    text.trim_start()
        .to_ascii_lowercase()
        .starts_with("unsubscribe")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DSN: &str = "From: MAILER-DAEMON@mx.example.net\r\n\
To: bounces+invite-0f1e2d3c-aaaa-4bbb-8ccc-123456789abc@example.org\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\
\r\n\
--B\r\n\
Content-Type: text/plain\r\n\
\r\n\
Your message could not be delivered.\r\n\
--B\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; mx.example.net\r\n\
\r\n\
Final-Recipient: rfc822; Gone@Example.com\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.com>: user unknown\r\n\
\r\n\
--B--\r\n";

    #[test]
    fn a_failed_dsn_names_our_message_by_its_return_path_and_is_permanent() {
        let report = read(DSN.as_bytes(), "bounces");
        assert_eq!(
            report,
            Report::Delivery {
                message_id: Some("invite-0f1e2d3c-aaaa-4bbb-8ccc-123456789abc".into()),
                recipient: Some("gone@example.com".into()),
                status: "5.1.1".into(),
                permanent: true,
                diagnostic: "550 5.1.1 <gone@example.com>: user unknown".into(),
            }
        );
    }

    #[test]
    fn a_delayed_dsn_is_not_permanent() {
        let delayed = DSN
            .replace("Action: failed", "Action: delayed")
            .replace("Status: 5.1.1", "Status: 4.2.2");
        let Report::Delivery {
            permanent, status, ..
        } = read(delayed.as_bytes(), "bounces")
        else {
            panic!("a delivery report");
        };
        assert!(!permanent);
        assert_eq!(status, "4.2.2");
    }

    #[test]
    fn a_return_path_tag_that_is_not_a_message_id_names_nothing() {
        let odd = DSN.replace(
            "bounces+invite-0f1e2d3c-aaaa-4bbb-8ccc-123456789abc",
            "bounces+x'or'1=1",
        );
        let Report::Delivery { message_id, .. } = read(odd.as_bytes(), "bounces") else {
            panic!("a delivery report");
        };
        assert_eq!(message_id, None);
    }

    #[test]
    fn garbage_is_unreadable_not_a_panic() {
        for raw in [
            &b""[..],
            b"\xff\xfe\x00",
            b"Content-Type: multipart/report\r\n\r\n--",
        ] {
            assert!(matches!(read(raw, "bounces"), Report::Unreadable { .. }));
        }
    }

    #[test]
    fn status_codes_are_three_numbers_of_class_2_4_or_5() {
        assert!(is_status_code("5.1.1"));
        assert!(is_status_code("4.7.26"));
        assert!(!is_status_code("550"));
        assert!(!is_status_code("9.1.1"));
        assert!(!is_status_code("5.x.1"));
    }
}
