//! Reminders to people who were sent an invitation and have not answered: on a schedule
//! (days after the invitation), or all at once when the team asks. Each reminder is an
//! outbox row whose id names the invitation and the reminder's number, so queuing the
//! same reminder twice (two instances, a double click) queues it once.
use crate::db::Db;
use sqlx::Any;

/// The most reminders a schedule may hold: more would nag, not help.
pub const MAX_REMINDERS: usize = 3;

/// Parses "3, 7" into days after the invitation; empty means no automatic reminders.
pub fn parse_schedule(text: &str) -> Result<Vec<i64>, String> {
    let mut days = Vec::new();
    for part in text
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match part.parse::<i64>() {
            Ok(day) if (1..=60).contains(&day) => days.push(day),
            _ => return Err(format!("“{part}” isn't a number of days from 1 to 60.")),
        }
    }
    days.sort_unstable();
    days.dedup();
    if days.len() > MAX_REMINDERS {
        return Err(format!(
            "At most {MAX_REMINDERS} reminders: more would annoy people into unsubscribing."
        ));
    }
    Ok(days)
}

/// The schedule as the settings store and show it.
pub fn format_schedule(days: &[i64]) -> String {
    days.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who a reminder may go to, as a condition on an invitation `i` of its contact `c` at
/// time `$2`: sent an invitation that reached them, not answered, still subscribed, not
/// reminded in the last day, and with no reminder already waiting. The funnel counts it in
/// its own pass over the survey's invitations.
pub const REMINDABLE_IF: &str = "i.sent_at IS NOT NULL AND i.completed_at IS NULL \
     AND i.bounced_at IS NULL AND i.failed_at IS NULL \
     AND c.unsubscribed_at IS NULL AND c.erased_at IS NULL AND c.undeliverable_at IS NULL \
     AND (i.last_reminded_at IS NULL OR i.last_reminded_at <= $2 - 86400) \
     AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.invitation_id = i.invitation_id \
       AND o.kind = 'reminder' AND o.status IN ('queued', 'sending'))";

/// The remindable invitations of survey `$1` at time `$2`, as a `FROM … WHERE` clause.
fn remindable() -> String {
    format!(
        "FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE i.survey_id = $1 AND {REMINDABLE_IF}"
    )
}

/// How many people "remind now" would reach.
pub async fn count_remindable(db: &Db, survey_id: &str, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!("SELECT COUNT(*) {}", remindable()))
        .bind(survey_id)
        .bind(now)
        .fetch_one(db)
        .await
}

/// Queues a reminder for everyone remindable whose invitation went out at least
/// `min_age` seconds ago and who has had exactly `step` reminders (`None`: whatever they
/// had, as "remind now" does). Returns how many. A scheduled reminder checks in the same
/// statement that the survey is still open with a schedule, so turning reminders off
/// wins over a check that read the schedule a moment earlier.
pub async fn queue_reminders(
    tx: &mut sqlx::Transaction<'_, Any>,
    survey_id: &str,
    now: i64,
    step: Option<i64>,
    min_age: i64,
) -> sqlx::Result<u64> {
    sqlx::query(&format!(
        "INSERT INTO outbox (message_id, invitation_id, kind, status, attempts, next_attempt_at, created_at) \
         SELECT 'remind' || CAST(i.reminders_sent + 1 AS TEXT) || '-' || i.invitation_id, \
         i.invitation_id, 'reminder', 'queued', 0, $2, $2 {} \
         AND i.sent_at <= $2 - $4 AND ($3 < 0 OR (i.reminders_sent = $3 \
           AND EXISTS (SELECT 1 FROM surveys s WHERE s.survey_id = $1 AND s.status = 'open' \
             AND s.reminder_days <> ''))) \
         ON CONFLICT (message_id) DO NOTHING",
        remindable()
    ))
    .bind(survey_id)
    .bind(now)
    .bind(step.unwrap_or(-1))
    .bind(min_age)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected())
}

/// Queues every reminder the open surveys' schedules make due now; returns how many.
pub async fn queue_due_reminders(db: &Db, now: i64) -> sqlx::Result<u64> {
    let surveys: Vec<(String, i64)> = sqlx::query_as(
        "SELECT survey_id, CAST(stop_reminders_at_target AS BIGINT) FROM surveys \
         WHERE status = 'open' AND reminder_days <> '' AND (closes_at IS NULL OR closes_at > $1)",
    )
    .bind(now)
    .fetch_all(db)
    .await?;
    let mut queued = 0;
    for (survey_id, stops_at_target) in surveys {
        queued += queue_due_for(db, &survey_id, stops_at_target != 0, now).await?;
    }
    Ok(queued)
}

/// One survey's due reminders. Its schedule and "stop at the target" setting are read
/// again while holding the survey's row (SQLite's write lock, `FOR UPDATE` on
/// PostgreSQL), so a change the team makes meanwhile is either seen or waits.
/// Whether the survey reached its target precision is read before the lock, when the list
/// of surveys said it stops there: it needs a connection of its own, and while this
/// transaction holds one the pool may have no other. If the setting was turned on in
/// between, the survey waits for the next check.
async fn queue_due_for(
    db: &Db,
    survey_id: &str,
    stops_at_target: bool,
    now: i64,
) -> sqlx::Result<u64> {
    let reached = if stops_at_target {
        Some(reached_target(db, survey_id).await)
    } else {
        None
    };
    let mut tx = db.begin_write().await?;
    let settings: Option<(String, i64)> = sqlx::query_as(&format!(
        "SELECT reminder_days, CAST(stop_reminders_at_target AS BIGINT) FROM surveys \
         WHERE survey_id = $1 AND status = 'open'{}",
        db.row_lock(" FOR UPDATE")
    ))
    .bind(survey_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((schedule, stop_at_target)) = settings else {
        return Ok(0);
    };
    if stop_at_target != 0 && reached != Some(false) {
        return Ok(0);
    }
    let mut queued = 0;
    for (step, day) in parse_schedule(&schedule)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        queued += queue_reminders(&mut tx, survey_id, now, Some(step as i64), day * 86_400).await?;
    }
    tx.commit().await?;
    Ok(queued)
}

/// Whether every score of the survey is within its target precision. When that cannot
/// be computed now, the survey waits for the next check rather than risk a reminder the
/// team asked not to send.
async fn reached_target(db: &Db, survey_id: &str) -> bool {
    match crate::monitoring::summary::all_actionable(db, survey_id).await {
        Ok(reached) => reached,
        Err(error) => {
            tracing::warn!(
                ?error,
                survey_id,
                "could not check the target precision; reminders wait"
            );
            true
        }
    }
}

pub async fn fetch_schedule(db: &Db, survey_id: &str) -> sqlx::Result<Vec<i64>> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT reminder_days FROM surveys WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_optional(db)
            .await?;
    Ok(parse_schedule(&text.unwrap_or_default()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_is_a_short_sorted_list_of_days() {
        assert_eq!(parse_schedule("7, 3").unwrap(), [3, 7]);
        assert_eq!(parse_schedule("").unwrap(), Vec::<i64>::new());
        assert_eq!(parse_schedule("3;3 10").unwrap(), [3, 10]);
        assert!(parse_schedule("0").unwrap_err().contains("from 1 to 60"));
        assert!(parse_schedule("soon").is_err());
        assert!(parse_schedule("1,2,3,4")
            .unwrap_err()
            .starts_with("At most 3"));
        assert_eq!(crate::distribution::model::schedule_text(&[3, 7]), "3, 7");
    }
}
