//! The release flow in one use case: a survey created from a template, opened and sent to
//! its recipients in one transaction, so a send refused (an unknown tier, say) leaves no
//! survey behind, and a pipeline that retries does not pile up open drafts.
use crate::db::Db;
use crate::distribution::sending::use_cases::{send_to_selection_in, Recipients, SendOut};
use crate::error::AppResult;
use crate::ids::SurveyId;
use crate::server::Config;
use crate::surveys::lifecycle::{create_from_template_in, open_in, NewFromTemplate};

/// Creates, opens and sends; returns the new survey's id and what the send did.
/// `created_by` is the team member behind the call, when there is one; `by` names the
/// caller in the log.
#[tracing::instrument(name = "start_release_survey", skip_all)]
pub async fn start_release_survey(
    db: &Db,
    config: &Config,
    survey: &NewFromTemplate,
    recipients: &Recipients,
    created_by: Option<&str>,
    by: &str,
    now: i64,
) -> AppResult<(SurveyId, SendOut)> {
    let mut tx = db.begin_write().await?;
    let survey_id = create_from_template_in(&mut tx, survey, created_by, now).await?;
    open_in(&mut tx, &survey_id, by, now).await?;
    let backend = db.backend();
    let sent =
        send_to_selection_in(&mut tx, backend, config, &survey_id, recipients, by, now).await?;
    tx.commit().await?;
    Ok((survey_id, sent))
}
