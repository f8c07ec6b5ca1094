//! The closing message's use cases, behind the Watch step and `/api/v1` alike.
use super::db;
use super::model::{ClosingMessage, DEFAULT_SUBJECT};
use crate::audit::Actor;
use crate::db::Db;
use crate::distribution::sending::mail::{self, MailWording};
use crate::error::{AppError, AppResult, FieldError};
use crate::ids::SurveyId;

const SUBJECT_MAX: usize = 200;
const BODY_MAX: usize = 5000;

/// The survey's closing message and who it would reach.
pub async fn load(db: &Db, survey_id: &SurveyId) -> AppResult<ClosingMessage> {
    let (subject, body, status, anonymity, sent_at) = db::fetch_wording(db, survey_id.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let (asked, non_respondents, sent_to) = db::fetch_audience(db, survey_id.as_str()).await?;
    let anonymous = anonymity == "anonymous";
    Ok(ClosingMessage {
        subject,
        body,
        closed: status == "closed",
        anonymous,
        asked,
        non_respondents: if anonymous { 0 } else { non_respondents },
        sent_at,
        sent_to,
    })
}

/// A closing message's wording, checked: a body the team wrote, placeholders that exist,
/// and no survey link (the survey has closed). Every problem at once.
pub fn parse_wording(subject: &str, body: &str) -> AppResult<MailWording> {
    let subject = subject.trim();
    let body = body.trim();
    let mut errors = Vec::new();
    if body.is_empty() {
        errors.push(FieldError::new(
            "loop_body",
            "Write what you heard and what you are doing about it.",
        ));
    }
    for (field, text, max) in [
        ("loop_subject", subject, SUBJECT_MAX),
        ("loop_body", body, BODY_MAX),
    ] {
        let chars = text.chars().count();
        if chars > max {
            errors.push(FieldError::new(
                field,
                format!("Keep it under {max} characters (it has {chars})."),
            ));
        }
        if text.contains("survey_link") {
            errors.push(FieldError::new(
                field,
                "The survey has closed, so there is no link to answer: leave out {{ survey_link }}.",
            ));
        }
    }
    let wording = MailWording {
        subject: if subject.is_empty() {
            DEFAULT_SUBJECT.to_string()
        } else {
            subject.to_string()
        },
        body: body.to_string(),
    };
    if errors.is_empty() {
        if let Err(problem) = mail::render(&wording, &mail::sample_values(), None) {
            errors.push(FieldError::new("loop_body", problem));
        }
    }
    if errors.is_empty() {
        Ok(wording)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Keeps the wording for later, without sending.
pub async fn save(
    db: &Db,
    survey_id: &SurveyId,
    wording: &MailWording,
    by: &Actor,
) -> AppResult<()> {
    if load(db, survey_id).await?.sent_at.is_some() {
        return Err(sent_already());
    }
    db::update_wording(db, survey_id.as_str(), &wording.subject, &wording.body).await?;
    tracing::info!(survey_id = %survey_id, by = %by, "closing message saved");
    Ok(())
}

/// Saves the wording and queues the message, once, to the respondents who asked and, with
/// `non_respondents`, to the people reached who did not answer. Only for a closed survey;
/// in an anonymous one only to those who asked. Returns how many were queued.
pub async fn send(
    db: &Db,
    survey_id: &SurveyId,
    wording: &MailWording,
    non_respondents: bool,
    by: &Actor,
    now: i64,
) -> AppResult<u64> {
    let current = load(db, survey_id).await?;
    if !current.closed {
        return Err(AppError::Conflict(
            "Close the survey first: the message says what you heard once everyone has had their say.".into(),
        ));
    }
    if current.anonymous && non_respondents {
        return Err(AppError::field(
            "non_respondents",
            "This survey is anonymous: the message goes only to the people who asked for it.",
        ));
    }
    let mut tx = db.begin_write().await?;
    let Some(queued) =
        db::queue(&mut tx, survey_id.as_str(), wording, non_respondents, now).await?
    else {
        return Err(sent_already());
    };
    let detail = format!("{queued} queued");
    let subject = Some(crate::audit::model::Subject::survey(survey_id));
    let action = crate::audit::Action::ClosingMessageSent;
    crate::audit::record::record(&mut *tx, by, action, subject, &detail, now).await?;
    tx.commit().await?;
    tracing::info!(survey_id = %survey_id, by = %by, queued, non_respondents, "closing message queued");
    Ok(queued)
}

/// The message went, so it stays as it was sent: the outbox composes queued messages from
/// the stored wording, and the page quotes it as sent.
fn sent_already() -> AppError {
    AppError::Conflict("This message has been sent; it goes once and stays as it was sent.".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closing_message_needs_a_body_and_no_survey_link() {
        let Err(AppError::Validation(errors)) = parse_wording("", "") else {
            panic!("accepted")
        };
        assert_eq!(errors.len(), 1);
        let Err(AppError::Validation(errors)) =
            parse_wording("{{ survey_link }}", "Answer again: {{ survey_link }}")
        else {
            panic!("accepted")
        };
        assert_eq!(errors.len(), 2);
        assert!(
            parse_wording("", "Hello {{ nmae }}").is_err(),
            "unknown placeholder"
        );
        let wording = parse_wording(" ", "Hello {{ name }}, we heard you.").unwrap();
        assert_eq!(wording.subject, DEFAULT_SUBJECT);
    }
}
