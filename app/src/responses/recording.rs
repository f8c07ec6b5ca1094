//! Recording a person's answers, the one use case behind the personal link's form, its
//! autosave and the public link: one response per invitation (identified), or one
//! unlinked response per completed submission (anonymous), with the ledger and the
//! `response.completed` event in the same transaction.
use super::db::{self as responses_db, Invitation, Unlinked};
use super::Answers;
use crate::db::{new_id, Db};
use crate::error::AppResult;
use crate::languages::model::Language;
use crate::surveys::model::Anonymity;
use crate::webhooks::emit;

/// Where a submission was sent from: the personal page, or its compact form in the
/// survey's panel inside the team's product (which the ledger counts as its own channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Page,
    Panel,
}

/// How a submission arrived and what it asks besides its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    /// Every required question answered: the response counts as completed.
    pub complete: bool,
    pub via: Via,
    /// Whether the person ticked "tell me what you do with this"; `None` leaves it as it
    /// was (the autosave sends only answers).
    pub wants_loop: Option<bool>,
    /// The language the page was in. Kept with an identified response, for results per
    /// language; never with an anonymous one, where a language few people speak would
    /// say whose the answers are.
    pub language: Language,
}

/// Stores the answers in one transaction. Identified: one response per invitation, kept
/// up to date. Anonymous: only a complete submission is stored, once, with no link back,
/// held back until `anonymous_step` such answers wait, then released with them. The
/// submission that completes a response notes whether it came from the panel.
pub async fn record_answers(
    db: &Db,
    invitation: &Invitation,
    answers: &Answers,
    sent: Sent,
    anonymous_step: i64,
    now: i64,
) -> AppResult<()> {
    let Sent {
        complete,
        via,
        wants_loop,
        language,
    } = sent;
    let mut tx = db.begin().await?;
    let mut first_completion = false;
    let response_id = match invitation.anonymity {
        Anonymity::Identified => {
            let id = responses_db::upsert_response(
                &mut tx,
                &new_id(),
                &invitation.survey_id,
                &invitation.invitation_id,
                now,
                complete,
                language.code(),
            )
            .await?;
            if complete {
                first_completion = responses_db::update_invitation_completed(
                    &mut *tx,
                    &invitation.invitation_id,
                    now,
                )
                .await?;
                if first_completion && via == Via::Panel {
                    responses_db::mark_completed_in_product(&mut tx, &invitation.invitation_id)
                        .await?;
                }
                if let Some(wants) = wants_loop {
                    responses_db::update_wants_loop(&mut tx, &invitation.invitation_id, wants)
                        .await?;
                }
            } else {
                responses_db::update_invitation_started(&mut *tx, &invitation.invitation_id, now)
                    .await?;
            }
            id
        }
        Anonymity::Anonymous if !complete => return Ok(()),
        Anonymity::Anonymous => {
            // Claiming the ledger row first makes a double submit store nothing twice. The
            // ledger keeps only the day too: a finer time would order the completions,
            // and their order could be matched with the responses'.
            let day = day_of(now);
            if !responses_db::update_invitation_completed(&mut *tx, &invitation.invitation_id, day)
                .await?
            {
                return Ok(());
            }
            if via == Via::Panel {
                responses_db::mark_completed_in_product(&mut tx, &invitation.invitation_id).await?;
            }
            // Beside the day the ledger already keeps, on the invitation, never the response.
            if wants_loop == Some(true) {
                responses_db::update_wants_loop(&mut tx, &invitation.invitation_id, true).await?;
            }
            let id = new_id();
            responses_db::insert_unlinked_response(
                &mut tx,
                &id,
                &invitation.survey_id,
                day,
                Unlinked::Held,
            )
            .await?;
            responses_db::release_held(&mut tx, &invitation.survey_id, anonymous_step, day).await?;
            emit::anonymous_completed(&mut tx, &invitation.survey_id, None, now).await?;
            id
        }
    };
    responses_db::delete_answers(&mut tx, &response_id).await?;
    insert_answers(&mut tx, &response_id, answers).await?;
    if first_completion {
        let (survey, invitation) = (&invitation.survey_id, &invitation.invitation_id);
        emit::response_completed(&mut tx, survey, invitation, &response_id, answers, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Stores a complete submission through a survey's public link: a new anonymous
/// response with no invitation, only the day, and its `response.completed` event.
#[tracing::instrument(name = "record_public_answers", skip_all, fields(survey_id = %survey_id))]
pub async fn record_public_answers(
    db: &Db,
    survey_id: &str,
    answers: &Answers,
    now: i64,
) -> AppResult<()> {
    let response_id = new_id();
    let mut tx = db.begin().await?;
    responses_db::insert_unlinked_response(
        &mut tx,
        &response_id,
        survey_id,
        day_of(now),
        Unlinked::PublicLink,
    )
    .await?;
    insert_answers(&mut tx, &response_id, answers).await?;
    emit::anonymous_completed(&mut tx, survey_id, Some(answers), now).await?;
    tx.commit().await?;
    tracing::info!("public link response stored");
    Ok(())
}

/// The start of the (UTC) day: the only time an anonymous response keeps.
fn day_of(time: i64) -> i64 {
    time - time.rem_euclid(86_400)
}

async fn insert_answers(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    response_id: &str,
    answers: &Answers,
) -> AppResult<()> {
    for (question_id, value) in answers {
        responses_db::insert_answer(tx, response_id, question_id, value).await?;
    }
    Ok(())
}
