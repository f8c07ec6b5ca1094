//! The results page's activity: completions over time with the mail sent, and who has
//! not answered yet.
use super::db;
use super::model::{MailEvent, NonResponder, Timeline, NON_RESPONDERS_SHOWN};
use crate::db::Db;
use crate::error::AppError;

/// Completions and mail per hour, or per day once the survey is older than three days;
/// buckets start at the team's hours and midnights (`utc_offset`).
pub async fn timeline(db: &Db, survey_id: &str, utc_offset: i64) -> Result<Timeline, AppError> {
    let (first, last) = db::fetch_time_span(db, survey_id).await?;
    let Some(first) = first else {
        return Ok(Timeline::default());
    };
    let span = last.unwrap_or(first).max(crate::db::now()) - first;
    let bucket_secs = if span <= 3 * 86_400 { 3600 } else { 86_400 };
    let mut total = 0;
    let points = db::fetch_completions(db, survey_id, bucket_secs, utc_offset)
        .await?
        .into_iter()
        .map(|(at, n)| {
            total += n;
            (at, total)
        })
        .collect();
    let events = db::fetch_mail_events(db, survey_id, bucket_secs, utc_offset)
        .await?
        .into_iter()
        .map(|(at, kind, messages)| MailEvent {
            at,
            reminder: kind == "reminder",
            messages,
        })
        .collect();
    Ok(Timeline {
        bucket_secs,
        points,
        events,
    })
}

/// Who could still answer, for personal follow-up; never in an anonymous survey, where
/// the people not on the list are the people who answered.
pub async fn non_responders(
    db: &Db,
    survey_id: &str,
    anonymous: bool,
) -> Result<Option<Vec<NonResponder>>, AppError> {
    if anonymous {
        return Ok(None);
    }
    let rows = db::fetch_non_responders(db, survey_id, NON_RESPONDERS_SHOWN).await?;
    Ok(Some(
        rows.into_iter()
            .map(|(name, email, community, reminders)| NonResponder {
                name,
                email,
                community,
                reminders,
            })
            .collect(),
    ))
}
