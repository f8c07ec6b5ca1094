//! Any wording an editor could save, rendered for a person whose name and community are
//! hostile: no panic, a subject that stays one line, and their values escaped in the HTML.
#![no_main]
use app::distribution::sending::mail::{render, sample_values, MailWording};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let (subject, body) = text.split_once('\n').unwrap_or((&text, ""));
    let wording = MailWording {
        subject: subject.to_string(),
        body: body.to_string(),
    };
    let mut values = sample_values();
    values.name = "<script>alert(1)</script>\r\nBcc: x@evil.example".into();
    values.community = "\"><img src=x onerror=alert(2)>".into();
    if let Ok(mail) = render(&wording, &values, None) {
        assert!(!mail.subject.contains('\r') && !mail.subject.contains('\n'));
        assert!(!mail.html.contains("<script>alert(1)"));
        assert!(!mail.html.contains("<img src=x"));
    }
});
