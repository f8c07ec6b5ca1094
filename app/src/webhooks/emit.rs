//! Recording events for webhooks, inside the transaction of the change they report, so a
//! change is never committed without its event nor an event without its change.
use crate::db::Db;
use crate::responses::answers::{AnswerValue, Answers};
use serde_json::{json, Value};
use sqlx::{Any, Transaction};

pub const RESPONSE_COMPLETED: &str = "response.completed";
pub const SURVEY_CLOSED: &str = "survey.closed";
pub const SEND_FINISHED: &str = "send.finished";
pub const CONTACT_UNSUBSCRIBED: &str = "contact.unsubscribed";

type Tx<'a, 'b> = &'a mut Transaction<'b, Any>;

/// Whether any active endpoint subscribes to `event`; callers skip building a payload
/// (and the submit path skips its queries) when none does.
pub async fn subscribed(tx: Tx<'_, '_>, event: &str) -> sqlx::Result<bool> {
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM webhooks WHERE active = 1 AND events LIKE $1")
            .bind(format!("%,{event},%"))
            .fetch_one(&mut **tx)
            .await?;
    Ok(count > 0)
}

/// The event as it is delivered.
pub struct Event<'a> {
    pub event: &'a str,
    /// Stable for one occurrence: the same change reported twice is stored once.
    pub event_id: String,
    pub data: Value,
    /// The contact the event is about (erasing them deletes it).
    pub contact_id: Option<&'a str>,
}

/// Stores the event and a delivery for each active endpoint subscribed to it (or only
/// `only`, for a test delivery). Returns how many deliveries were queued.
pub async fn record(
    tx: Tx<'_, '_>,
    event: Event<'_>,
    only: Option<&str>,
    now: i64,
) -> sqlx::Result<u64> {
    let body = json!({
        "id": event.event_id,
        "event": event.event,
        "created_at": now,
        "data": event.data,
    });
    let stored = sqlx::query(
        "INSERT INTO webhook_events (event_id, event, payload, contact_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(&event.event_id)
    .bind(event.event)
    .bind(body.to_string())
    .bind(event.contact_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    if stored.rows_affected() == 0 {
        return Ok(0);
    }
    let filter = match only {
        Some(_) => "w.webhook_id = $4",
        None => "w.active = 1 AND w.events LIKE $4",
    };
    sqlx::query(&format!(
        "INSERT INTO webhook_deliveries (delivery_id, webhook_id, event_id, status, attempts, \
         next_attempt_at, created_at) SELECT $1 || ':' || w.webhook_id, w.webhook_id, $1, 'queued', 0, $2, $3 \
         FROM webhooks w WHERE {filter}"
    ))
    .bind(&event.event_id)
    .bind(now)
    .bind(now)
    .bind(only.map(str::to_string).unwrap_or_else(|| format!("%,{},%", event.event)))
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected())
}

/// `response.completed` for an identified response: who (by contact id, community and
/// tier, never by address) and every answer with its question.
pub async fn response_completed(
    tx: Tx<'_, '_>,
    survey_id: &str,
    invitation_id: &str,
    response_id: &str,
    answers: &Answers,
    now: i64,
) -> sqlx::Result<u64> {
    if !subscribed(tx, RESPONSE_COMPLETED).await? {
        return Ok(0);
    }
    type Who = (String, Option<String>, Option<String>);
    let (contact_id, community, tier): Who = sqlx::query_as(
        "SELECT c.contact_id, cm.name, t.name FROM invitations i \
         JOIN contacts c ON c.contact_id = i.contact_id \
         LEFT JOIN communities cm ON cm.community_id = c.community_id \
         LEFT JOIN tiers t ON t.tier_id = cm.tier_id WHERE i.invitation_id = $1",
    )
    .bind(invitation_id)
    .fetch_one(&mut **tx)
    .await?;
    let mut data = survey_head(tx, survey_id).await?;
    data["response_id"] = json!(response_id);
    data["contact_id"] = json!(contact_id);
    data["community"] = json!(community);
    data["tier"] = json!(tier);
    data["completed_at"] = json!(now);
    data["answers"] = answer_list(tx, survey_id, answers).await?;
    let event = Event {
        event: RESPONSE_COMPLETED,
        event_id: format!("{RESPONSE_COMPLETED}:{response_id}"),
        data,
        contact_id: Some(&contact_id),
    };
    record(tx, event, None, now).await
}

/// `response.completed` for an anonymous survey or a public link: no response id, no
/// person and, for an invitation, no answers, since the delivery's time beside the
/// ledger's completion time would tie the answers to the person.
pub async fn anonymous_completed(
    tx: Tx<'_, '_>,
    survey_id: &str,
    answers: Option<&Answers>,
    now: i64,
) -> sqlx::Result<u64> {
    if !subscribed(tx, RESPONSE_COMPLETED).await? {
        return Ok(0);
    }
    let mut data = survey_head(tx, survey_id).await?;
    data["anonymous"] = json!(true);
    data["answers"] = match answers {
        Some(answers) => answer_list(tx, survey_id, answers).await?,
        None => Value::Null,
    };
    let event = Event {
        event: RESPONSE_COMPLETED,
        event_id: format!("{RESPONSE_COMPLETED}:{}", crate::db::new_id()),
        data,
        contact_id: None,
    };
    record(tx, event, None, now).await
}

/// `survey.closed` with the survey's final counts.
pub async fn survey_closed(tx: Tx<'_, '_>, survey_id: &str, now: i64) -> sqlx::Result<u64> {
    if !subscribed(tx, SURVEY_CLOSED).await? {
        return Ok(0);
    }
    let mut data = survey_head(tx, survey_id).await?;
    data["closed_at"] = json!(now);
    data["counts"] = counts(tx, survey_id).await?;
    let event = Event {
        event: SURVEY_CLOSED,
        // A reopened survey closes again: each closing is its own event.
        event_id: format!("{SURVEY_CLOSED}:{survey_id}:{now}"),
        data,
        contact_id: None,
    };
    record(tx, event, None, now).await
}

/// `contact.unsubscribed`, by contact id (the address stays out of the payload).
pub async fn contact_unsubscribed(
    tx: Tx<'_, '_>,
    contact_id: &str,
    invitation_id: &str,
    now: i64,
) -> sqlx::Result<u64> {
    if !subscribed(tx, CONTACT_UNSUBSCRIBED).await? {
        return Ok(0);
    }
    let survey_id: String =
        sqlx::query_scalar("SELECT survey_id FROM invitations WHERE invitation_id = $1")
            .bind(invitation_id)
            .fetch_one(&mut **tx)
            .await?;
    let event = Event {
        event: CONTACT_UNSUBSCRIBED,
        event_id: format!("{CONTACT_UNSUBSCRIBED}:{contact_id}:{now}"),
        data: json!({ "contact_id": contact_id, "survey_id": survey_id, "unsubscribed_at": now }),
        contact_id: Some(contact_id),
    };
    record(tx, event, None, now).await
}

/// Reports every send whose invitations have all been handled (sent, bounced, failed or
/// cancelled) and that was not reported yet: one `send.finished` per send, however many
/// workers notice it. Returns how many sends finished.
pub async fn report_finished_sends(db: &Db, now: i64) -> sqlx::Result<u64> {
    let finished: Vec<(String, i64)> = sqlx::query_as(
        "SELECT s.survey_id, (SELECT MAX(i.queued_at) FROM invitations i WHERE i.survey_id = s.survey_id) \
         FROM surveys s WHERE s.status <> 'draft' \
         AND EXISTS (SELECT 1 FROM invitations i WHERE i.survey_id = s.survey_id \
           AND i.queued_at > COALESCE(s.send_reported_through, 0)) \
         AND NOT EXISTS (SELECT 1 FROM outbox o JOIN invitations p ON p.invitation_id = o.invitation_id \
           WHERE p.survey_id = s.survey_id AND o.kind = 'invitation' AND o.status IN ('queued', 'sending'))",
    )
    .fetch_all(db)
    .await?;
    let mut reported = 0;
    for (survey_id, through) in finished {
        let mut tx = db.begin().await?;
        let won = sqlx::query(
            "UPDATE surveys SET send_reported_through = $2 WHERE survey_id = $1 \
             AND COALESCE(send_reported_through, 0) < $2",
        )
        .bind(&survey_id)
        .bind(through)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if won {
            reported += 1;
            send_finished(&mut tx, &survey_id, through, now).await?;
        }
        tx.commit().await?;
    }
    Ok(reported)
}

async fn send_finished(
    tx: Tx<'_, '_>,
    survey_id: &str,
    through: i64,
    now: i64,
) -> sqlx::Result<u64> {
    if !subscribed(tx, SEND_FINISHED).await? {
        return Ok(0);
    }
    let mut data = survey_head(tx, survey_id).await?;
    data["counts"] = counts(tx, survey_id).await?;
    let event = Event {
        event: SEND_FINISHED,
        event_id: format!("{SEND_FINISHED}:{survey_id}:{through}"),
        data,
        contact_id: None,
    };
    record(tx, event, None, now).await
}

/// The survey's id, title and release, which every survey event starts with.
async fn survey_head(tx: Tx<'_, '_>, survey_id: &str) -> sqlx::Result<Value> {
    let (title, release): (String, Option<String>) = sqlx::query_as(
        "SELECT s.title, r.name FROM surveys s LEFT JOIN releases r ON r.release_id = s.release_id \
         WHERE s.survey_id = $1",
    )
    .bind(survey_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(json!({ "survey_id": survey_id, "survey_title": title, "release": release }))
}

/// The ledger's counts: invited, sent, bounced, failed, completed.
async fn counts(tx: Tx<'_, '_>, survey_id: &str) -> sqlx::Result<Value> {
    type Row = (i64, i64, i64, i64, i64);
    let (invited, sent, bounced, failed, completed): Row = sqlx::query_as(
        "SELECT COUNT(*), COUNT(sent_at), COUNT(bounced_at), COUNT(failed_at), COUNT(completed_at) \
         FROM invitations WHERE survey_id = $1",
    )
    .bind(survey_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(json!({
        "invited": invited, "sent": sent, "bounced": bounced, "failed": failed, "completed": completed,
    }))
}

/// Each answer with its question's kind and prompt, in the survey's order.
async fn answer_list(tx: Tx<'_, '_>, survey_id: &str, answers: &Answers) -> sqlx::Result<Value> {
    let questions: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT question_id, kind, prompt FROM questions WHERE survey_id = $1 ORDER BY position",
    )
    .bind(survey_id)
    .fetch_all(&mut **tx)
    .await?;
    let list = questions
        .into_iter()
        .filter_map(|(id, kind, prompt)| {
            let value = match answers.get(&id)? {
                AnswerValue::Score(score) => json!({ "score": score }),
                AnswerValue::Choices { selected, other } => {
                    json!({ "selected": selected, "other": other })
                }
                AnswerValue::Text(text) => json!({ "text": text }),
            };
            Some(json!({ "question_id": id, "kind": kind, "prompt": prompt, "answer": value }))
        })
        .collect();
    Ok(Value::Array(list))
}
