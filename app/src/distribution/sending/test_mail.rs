//! "Send a test to me": one of the survey's emails, as its recipients would get it, sent
//! through the outbox to the team member who asked. Its links open the survey's preview,
//! so trying them answers nothing and unsubscribes no one.
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::distribution::model::EmailKind,
    crate::{
        auth::model::Role,
        db::{new_id, Db},
        ids::SurveyId,
        server::guard,
        surveys::db as survey_db,
    },
};

/// Tests one address may be sent in an hour: enough to try several wordings, too few
/// for the button to flood a mailbox.
pub const TESTS_PER_HOUR: i64 = 10;

/// Queues a test of the survey's invitation or reminder to the signed-in editor; returns
/// the address it goes to.
#[server(prefix = "/fn", endpoint = "send_test_email", output = crate::ui::wire::Postcard)]
pub async fn send_test_email(survey_id: String, kind: String) -> Result<String, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let kind = EmailKind::parse(&kind).ok_or(AppError::BadRequest)?;
        if survey_db::fetch_survey_status(&state.db, &survey_id)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound);
        }
        if !queue_test(&state.db, &survey_id, kind, &user.email, state.clock.now()).await? {
            return Err(AppError::TooManyRequests {
                retry_after_secs: 3600,
            });
        }
        state.mail_wakeup.notify_one();
        tracing::info!(survey_id = %survey_id, by = user.user_id, "test email queued");
        // A full page load, with or without JavaScript, that opens this email's panel
        // and says where the test went.
        leptos_axum::redirect(&format!(
            "/surveys/{survey_id}/send?test_sent={}#{}-email-title",
            kind.as_str(),
            kind.as_str()
        ));
        Ok(user.email)
    })
    .await
}

/// Queues the test unless `to` had `TESTS_PER_HOUR` in the past hour; false if refused.
#[cfg(feature = "ssr")]
pub async fn queue_test(
    db: &Db,
    survey_id: &str,
    kind: EmailKind,
    to: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.begin_write().await?;
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'test' AND to_address = $1 AND created_at > $2",
    )
    .bind(to)
    .bind(now - 3600)
    .fetch_one(&mut *tx)
    .await?;
    if recent >= TESTS_PER_HOUR {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO outbox (message_id, kind, to_address, survey_id, test_of, status, attempts, \
         next_attempt_at, created_at) VALUES ($1, 'test', $2, $3, $4, 'queued', 0, $5, $5)",
    )
    .bind(format!("test-{}", new_id()))
    .bind(to)
    .bind(survey_id)
    .bind(kind.as_str())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}
