//! How a survey sends, read and changed in one place for every front door: the wording of
//! the invitation and the reminder, the reminder schedule, the target precision (and
//! whether reminders stop there), the sending window and the From name. The survey page's forms each
//! change one part; the API reads and changes any of them in one call.
use crate::audit::Actor;
use crate::db::Db;
use crate::distribution::sending::mail::{self, MailWording};
use crate::distribution::sending::reminders;
use crate::distribution::sending::window;
use crate::error::{AppError, AppResult};
use crate::ids::SurveyId;
use crate::monitoring::model::TARGET_POINTS;

/// A survey's sending settings as stored. `sending_window`: None follows the team's
/// default, "" is any time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendingSettings {
    pub invitation: MailWording,
    pub reminder: MailWording,
    pub reminder_days: Vec<i64>,
    pub target_points: i64,
    pub stop_reminders_at_target: bool,
    pub sending_window: Option<String>,
    /// The From name of its invitations and reminders; empty: MAIL_FROM's own.
    pub sender_name: String,
}

/// What to change; None leaves a part as it is. Each part is checked by its `parse_*`.
#[derive(Debug, Clone, Default)]
pub struct SendingChange {
    pub invitation: Option<MailWording>,
    pub reminder: Option<MailWording>,
    pub reminder_days: Option<Vec<i64>>,
    pub target: Option<(i64, bool)>,
    /// Some(None): follow the team's default; Some(Some("")): any time.
    pub sending_window: Option<Option<String>>,
    /// Some(""): MAIL_FROM's own name again.
    pub sender_name: Option<String>,
}

/// The longest From name a survey may give.
pub const SENDER_NAME_MAX: usize = 80;

/// A From name as typed: on one line, white space squeezed, at most 80 characters, and
/// not an address. A name that looks like an address ("support@bank.example") is what
/// phishing mail does to pass as someone else, and clients show the name first.
pub fn parse_sender_name(field: &str, text: &str) -> AppResult<String> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.chars().count() > SENDER_NAME_MAX {
        return Err(AppError::field(
            field,
            format!("Keep the sender name to {SENDER_NAME_MAX} characters or fewer."),
        ));
    }
    if name
        .chars()
        .any(|c| c.is_control() || matches!(c, '@' | '<' | '>' | '"'))
    {
        return Err(AppError::field(
            field,
            "A sender name is a name, like “Maya from the Product team”: no @, <, > or quotes.",
        ));
    }
    Ok(name)
}

/// An email's wording, trimmed and checked (placeholders known, template valid), with
/// each problem on `field`'s subject or body.
pub fn parse_wording(subject: &str, body: &str) -> AppResult<MailWording> {
    let wording = MailWording {
        subject: subject.trim().to_string(),
        body: body.trim().replace("\r\n", "\n"),
    };
    mail::check_wording(&wording).map_err(AppError::Validation)?;
    Ok(wording)
}

/// Reminder days such as "3, 7".
pub fn parse_reminder_days(field: &str, text: &str) -> AppResult<Vec<i64>> {
    reminders::parse_schedule(text).map_err(|m| AppError::field(field, m))
}

/// A target precision in points (1 to 50).
pub fn parse_target(field: &str, points: i64) -> AppResult<i64> {
    if TARGET_POINTS.contains(&points) {
        return Ok(points);
    }
    Err(AppError::field(
        field,
        format!(
            "Give a whole number of points from {} to {}.",
            TARGET_POINTS.start(),
            TARGET_POINTS.end()
        ),
    ))
}

/// A survey's window as typed: empty follows the team's default (None), else the window as
/// stored ("" for any time, or its canonical text).
pub fn parse_window(field: &str, text: &str) -> AppResult<Option<String>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    window::to_stored(text)
        .map(Some)
        .map_err(|m| AppError::field(field, m))
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<String>,
    String,
);

/// The survey's sending settings; `NotFound` for a survey that does not exist.
pub async fn load(db: &Db, survey_id: &SurveyId) -> AppResult<SendingSettings> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT email_subject, email_body, reminder_subject, reminder_body, reminder_days, \
         CAST(target_points AS BIGINT), CAST(stop_reminders_at_target AS BIGINT), sending_window, \
         sender_name FROM surveys WHERE survey_id = $1",
    )
    .bind(survey_id.as_str())
    .fetch_optional(db)
    .await?;
    let row = row.ok_or(AppError::NotFound)?;
    Ok(SendingSettings {
        invitation: MailWording::invitation(&row.0, &row.1),
        reminder: MailWording::reminder(&row.2, &row.3),
        reminder_days: reminders::parse_schedule(&row.4).unwrap_or_default(),
        target_points: row.5,
        stop_reminders_at_target: row.6 != 0,
        sending_window: row.7,
        sender_name: row.8,
    })
}

/// Changes the parts given, in one transaction; `NotFound` for a survey that does not
/// exist. A new sending window also applies to the survey's mail already waiting for the
/// old one: it becomes due at `now`, and the outbox checks it against the new window.
#[tracing::instrument(name = "change_sending_settings", skip_all, fields(survey_id = %survey_id))]
pub async fn change(
    db: &Db,
    survey_id: &SurveyId,
    change: &SendingChange,
    by: &Actor,
    now: i64,
) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    let id = survey_id.as_str();
    let exists: Option<String> =
        sqlx::query_scalar("SELECT survey_id FROM surveys WHERE survey_id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    if exists.is_none() {
        return Err(AppError::NotFound);
    }
    if let Some(w) = &change.invitation {
        sqlx::query("UPDATE surveys SET email_subject = $2, email_body = $3 WHERE survey_id = $1")
            .bind(id)
            .bind(&w.subject)
            .bind(&w.body)
            .execute(&mut *tx)
            .await?;
    }
    if let Some(w) = &change.reminder {
        sqlx::query(
            "UPDATE surveys SET reminder_subject = $2, reminder_body = $3 WHERE survey_id = $1",
        )
        .bind(id)
        .bind(&w.subject)
        .bind(&w.body)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(name) = &change.sender_name {
        sqlx::query("UPDATE surveys SET sender_name = $2 WHERE survey_id = $1")
            .bind(id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
    }
    if let Some(days) = &change.reminder_days {
        sqlx::query("UPDATE surveys SET reminder_days = $2 WHERE survey_id = $1")
            .bind(id)
            .bind(
                days.iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            )
            .execute(&mut *tx)
            .await?;
    }
    if let Some((points, stop)) = change.target {
        sqlx::query(
            "UPDATE surveys SET target_points = $2, stop_reminders_at_target = $3 WHERE survey_id = $1",
        )
        .bind(id)
        .bind(points)
        .bind(i64::from(stop))
        .execute(&mut *tx)
        .await?;
    }
    if let Some(window) = &change.sending_window {
        sqlx::query("UPDATE surveys SET sending_window = $2 WHERE survey_id = $1")
            .bind(id)
            .bind(window.as_deref())
            .execute(&mut *tx)
            .await?;
        // Waiting, never tried (a retry after a failure keeps its back-off).
        sqlx::query(
            "UPDATE outbox SET next_attempt_at = $2 WHERE status = 'queued' AND attempts = 0 \
             AND next_attempt_at > $2 AND invitation_id IN \
             (SELECT invitation_id FROM invitations WHERE survey_id = $1)",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let parts = [
        (change.invitation.is_some(), "invitation wording"),
        (change.reminder.is_some(), "reminder wording"),
        (change.reminder_days.is_some(), "reminder schedule"),
        (change.target.is_some(), "target"),
        (change.sending_window.is_some(), "sending window"),
        (change.sender_name.is_some(), "sender name"),
    ];
    let touched: Vec<&str> = parts
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, p)| *p)
        .collect();
    let detail = format!("sending: {}", touched.join(", "));
    let subject = Some(crate::audit::model::Subject::survey(survey_id));
    let action = crate::audit::Action::SettingsChanged;
    crate::audit::record::record(&mut *tx, by, action, subject, &detail, now).await?;
    tx.commit().await?;
    tracing::info!(survey_id = %survey_id, by = %by, "sending settings changed");
    Ok(())
}
