//! SQL for the audience: tiers, communities, contacts and their tags, and applying an
//! import plan in one transaction.
use crate::db::{new_id, Db};
use crate::distribution::contacts::import::{
    CommunityPlan, ContactInput, Existing, ExistingCommunity, ExistingContact, ImportPlan, Outcome,
};
use crate::distribution::model::{Community, Contact, Tier};
use sqlx::{Any, Executor, Transaction};
use std::collections::HashMap;

/// Every tier, in the team's order.
pub async fn fetch_tiers(db: impl Executor<'_, Database = Any>) -> sqlx::Result<Vec<Tier>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT tier_id, name FROM tiers ORDER BY position, name")
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(tier_id, name)| Tier { tier_id, name })
        .collect())
}

pub async fn fetch_communities(db: &Db) -> sqlx::Result<Vec<Community>> {
    let rows: Vec<(String, String, String, String, i64, String)> = sqlx::query_as(
        "SELECT cm.community_id, cm.name, t.tier_id, t.name, \
         (SELECT COUNT(*) FROM contacts c WHERE c.community_id = cm.community_id AND c.erased_at IS NULL), \
         cm.time_zone FROM communities cm JOIN tiers t ON t.tier_id = cm.tier_id ORDER BY cm.name_key",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(community_id, name, tier_id, tier, contacts, time_zone)| Community {
                community_id,
                name,
                tier_id,
                tier,
                contacts,
                time_zone,
            },
        )
        .collect())
}

/// Communities after `after` (a name key) in name order, with their tier's name, their
/// contact count and time zone: one page of the API's list.
pub async fn fetch_communities_after(
    db: &Db,
    after: &str,
    limit: i64,
) -> sqlx::Result<Vec<(String, String, String, String, i64, String)>> {
    sqlx::query_as(
        "SELECT cm.community_id, cm.name, cm.name_key, t.name, \
         (SELECT COUNT(*) FROM contacts c WHERE c.community_id = cm.community_id AND c.erased_at IS NULL), \
         cm.time_zone FROM communities cm JOIN tiers t ON t.tier_id = cm.tier_id \
         WHERE cm.name_key > $1 ORDER BY cm.name_key LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Every tier in the team's order with how many communities are on it.
pub async fn fetch_tier_counts(db: &Db) -> sqlx::Result<Vec<(String, String, i64)>> {
    sqlx::query_as(
        "SELECT t.tier_id, t.name, \
         (SELECT COUNT(*) FROM communities cm WHERE cm.tier_id = t.tier_id) \
         FROM tiers t ORDER BY t.position, t.name",
    )
    .fetch_all(db)
    .await
}

type ContactRow = (
    String,
    String,
    Option<String>,
    String,
    i64,
    Option<String>,
    Option<String>,
);

const CONTACT_COLUMNS: &str = "SELECT c.email, c.name, cm.name, c.role, \
     CASE WHEN c.unsubscribed_at IS NULL THEN 0 ELSE 1 END, \
     CASE WHEN c.undeliverable_at IS NULL THEN NULL ELSE COALESCE(c.undeliverable_reason, '') END, \
     c.language \
     FROM contacts c LEFT JOIN communities cm ON cm.community_id = c.community_id \
     WHERE c.erased_at IS NULL";

/// Contacts in name order with their tags, erased ones left out.
pub async fn fetch_contacts(db: &Db, limit: i64) -> sqlx::Result<Vec<Contact>> {
    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
        "{CONTACT_COLUMNS} ORDER BY c.name, c.email LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(with_tags(rows, fetch_all_tags(db).await?))
}

/// Contacts whose address bounced for good, by address.
pub async fn fetch_undeliverable(db: &Db, limit: i64) -> sqlx::Result<Vec<Contact>> {
    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
        "{CONTACT_COLUMNS} AND c.undeliverable_at IS NOT NULL ORDER BY c.email LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(with_tags(rows, HashMap::new()))
}

/// Clears the undeliverable mark of the contact with this address; false when no such
/// contact is marked.
pub async fn clear_undeliverable(db: &Db, email: &str) -> sqlx::Result<bool> {
    sqlx::query(
        "UPDATE contacts SET undeliverable_at = NULL, undeliverable_reason = NULL \
         WHERE email = $1 AND erased_at IS NULL AND undeliverable_at IS NOT NULL",
    )
    .bind(email)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Up to `limit` contacts whose address sorts after `after`, in address order, with
/// their tags (read for this page only).
pub async fn fetch_contacts_after(db: &Db, after: &str, limit: i64) -> sqlx::Result<Vec<Contact>> {
    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
        "{CONTACT_COLUMNS} AND c.email > $1 ORDER BY c.email LIMIT $2"
    ))
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?;
    let last = rows.last().map(|r| r.0.clone()).unwrap_or_default();
    let tags: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.email, t.tag FROM contact_tags t JOIN contacts c ON c.contact_id = t.contact_id \
         WHERE c.erased_at IS NULL AND c.email > $1 AND c.email <= $2 ORDER BY c.email, t.tag",
    )
    .bind(after)
    .bind(&last)
    .fetch_all(db)
    .await?;
    Ok(with_tags(rows, by_email(tags)))
}

fn with_tags(rows: Vec<ContactRow>, mut tags: HashMap<String, Vec<String>>) -> Vec<Contact> {
    rows.into_iter()
        .map(
            |(email, name, community, role, unsubscribed, undeliverable, language)| Contact {
                tags: tags.remove(&email).unwrap_or_default(),
                email,
                name,
                community,
                role,
                unsubscribed: unsubscribed != 0,
                undeliverable,
                language,
            },
        )
        .collect()
}

fn by_email(rows: Vec<(String, String)>) -> HashMap<String, Vec<String>> {
    let mut tags: HashMap<String, Vec<String>> = HashMap::new();
    for (email, tag) in rows {
        tags.entry(email).or_default().push(tag);
    }
    tags
}

pub async fn count_contacts(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE erased_at IS NULL")
        .fetch_one(db)
        .await
}

/// Every contact's tags, by email, sorted.
async fn fetch_all_tags(db: &Db) -> sqlx::Result<HashMap<String, Vec<String>>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.email, t.tag FROM contact_tags t JOIN contacts c ON c.contact_id = t.contact_id \
         ORDER BY c.email, t.tag",
    )
    .fetch_all(db)
    .await?;
    Ok(by_email(rows))
}

/// What an import compares against: every community name and every contact.
pub async fn fetch_existing(db: &Db) -> sqlx::Result<Existing> {
    let communities = sqlx::query_scalar("SELECT name FROM communities")
        .fetch_all(db)
        .await?;
    type Row = (String, String, Option<String>, String, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.email, c.name, cm.name, c.role, c.language FROM contacts c \
         LEFT JOIN communities cm ON cm.community_id = c.community_id WHERE c.erased_at IS NULL",
    )
    .fetch_all(db)
    .await?;
    let tags = fetch_all_tags(db).await?;
    let contacts = rows
        .into_iter()
        .map(|(email, name, community, role, language)| ExistingContact {
            tags: tags.get(&email).cloned().unwrap_or_default(),
            email,
            name,
            community,
            role,
            language,
        })
        .collect();
    let details: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT cm.name, t.name, cm.time_zone FROM communities cm JOIN tiers t ON t.tier_id = cm.tier_id",
    )
    .fetch_all(db)
    .await?;
    let tiers = sqlx::query_scalar("SELECT name FROM tiers ORDER BY position")
        .fetch_all(db)
        .await?;
    Ok(Existing {
        communities,
        contacts,
        community_details: details
            .into_iter()
            .map(|(name, tier, time_zone)| ExistingCommunity {
                name,
                tier,
                time_zone,
            })
            .collect(),
        tiers,
    })
}

/// Creates the plan's new tiers (after the others) and communities, and moves changed
/// communities to their tier and time zone.
async fn apply_communities(
    tx: &mut Transaction<'_, Any>,
    plan: &CommunityPlan,
    now: i64,
) -> sqlx::Result<()> {
    for name in &plan.new_tiers {
        super::directory_db::insert_tier_last(tx, name.trim(), now).await?;
    }
    let tiers: HashMap<String, String> =
        sqlx::query_as::<_, (String, String)>("SELECT name, tier_id FROM tiers")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(|(name, id)| (name.trim().to_lowercase(), id))
            .collect();
    let tier_of = |name: &str| {
        tiers
            .get(&name.trim().to_lowercase())
            .cloned()
            .unwrap_or_default()
    };
    for community in &plan.created {
        sqlx::query(
            "INSERT INTO communities (community_id, name, name_key, tier_id, time_zone, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(community.name.trim())
        .bind(community.name.trim().to_lowercase())
        .bind(tier_of(&community.tier))
        .bind(&community.time_zone)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    for community in &plan.changed {
        sqlx::query("UPDATE communities SET tier_id = $2, time_zone = $3 WHERE name_key = $1")
            .bind(community.name.trim().to_lowercase())
            .bind(tier_of(&community.tier))
            .bind(&community.time_zone)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Applies every create and update of a plan in one transaction; returns (created,
/// updated). The caller checks `can_apply` first.
pub async fn apply_plan(
    tx: &mut Transaction<'_, Any>,
    plan: &ImportPlan,
    now: i64,
) -> sqlx::Result<(usize, usize)> {
    apply_communities(tx, &plan.communities, now).await?;
    let communities: HashMap<String, String> =
        sqlx::query_as::<_, (String, String)>("SELECT name_key, community_id FROM communities")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect();
    let mut written = Vec::new();
    let (mut created, mut updated) = (0, 0);
    for row in &plan.rows {
        let (contact, is_new) = match &row.outcome {
            Outcome::Create(contact) => (contact, true),
            Outcome::Update { contact, .. } => (contact, false),
            Outcome::Unchanged | Outcome::Rejected(_) => continue,
        };
        let community_id = communities.get(&contact.community.trim().to_lowercase());
        written.push((contact, community_id.map(String::as_str)));
        if is_new {
            created += 1;
        } else {
            updated += 1;
        }
    }
    for batch in written.chunks(CONTACT_BATCH) {
        upsert_contacts(tx, batch, now).await?;
        replace_tags(tx, batch).await?;
    }
    Ok((created, updated))
}

/// Contacts written per statement: 20,000 one at a time are 80,000 round trips, which on
/// PostgreSQL alone took seconds (BENCHMARKS.md, stop 21). 200 rows of five parameters stay
/// far below both backends' parameter limits.
const CONTACT_BATCH: usize = 200;

/// `($first, ..), (..)`: `rows` groups of `width` numbered parameters.
fn numbered_rows(rows: usize, width: usize, first: usize) -> String {
    (0..rows)
        .map(|row| {
            let params: Vec<String> = (0..width)
                .map(|col| format!("${}", first + row * width + col))
                .collect();
            format!("({})", params.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$first, ..`: a list of `n` numbered parameters for `IN (..)`.
fn numbered_list(n: usize, first: usize) -> String {
    (first..first + n)
        .map(|p| format!("${p}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Creates or updates a batch of contacts (the plan holds each address once, so no
/// statement touches a row twice).
async fn upsert_contacts(
    tx: &mut Transaction<'_, Any>,
    batch: &[(&ContactInput, Option<&str>)],
    now: i64,
) -> sqlx::Result<()> {
    let sql = format!(
        "INSERT INTO contacts (contact_id, email, name, community_id, role, created_at, language) \
         VALUES {} ON CONFLICT (email) DO UPDATE SET \
         name = excluded.name, community_id = excluded.community_id, role = excluded.role, \
         language = excluded.language",
        numbered_rows(batch.len(), 7, 1)
    );
    let mut query = sqlx::query(&sql);
    for (contact, community_id) in batch {
        query = query
            .bind(new_id())
            .bind(contact.email.as_str())
            .bind(&contact.name)
            .bind(*community_id)
            .bind(&contact.role)
            .bind(now)
            .bind(contact.language.map(|l| l.code()));
    }
    query.execute(&mut **tx).await.map(|_| ())
}

/// Replaces a batch of contacts' tags with the plan's.
async fn replace_tags(
    tx: &mut Transaction<'_, Any>,
    batch: &[(&ContactInput, Option<&str>)],
) -> sqlx::Result<()> {
    let sql = format!(
        "SELECT email, contact_id FROM contacts WHERE email IN ({})",
        numbered_list(batch.len(), 1)
    );
    let mut query = sqlx::query_as::<_, (String, String)>(&sql);
    for (contact, _) in batch {
        query = query.bind(contact.email.as_str());
    }
    let ids: HashMap<String, String> = query.fetch_all(&mut **tx).await?.into_iter().collect();
    let contact_ids: Vec<&String> = batch
        .iter()
        .filter_map(|(contact, _)| ids.get(contact.email.as_str()))
        .collect();
    if contact_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM contact_tags WHERE contact_id IN ({})",
        numbered_list(contact_ids.len(), 1)
    );
    let mut query = sqlx::query(&sql);
    for id in &contact_ids {
        query = query.bind(id.as_str());
    }
    query.execute(&mut **tx).await?;
    let tags: Vec<(&str, &str)> = batch
        .iter()
        .filter_map(|(contact, _)| {
            let id = ids.get(contact.email.as_str())?;
            Some(
                contact
                    .tags
                    .iter()
                    .map(move |tag| (id.as_str(), tag.as_str())),
            )
        })
        .flatten()
        .collect();
    for chunk in tags.chunks(CONTACT_BATCH * 2) {
        let sql = format!(
            "INSERT INTO contact_tags (contact_id, tag) VALUES {}",
            numbered_rows(chunk.len(), 2, 1)
        );
        let mut query = sqlx::query(&sql);
        for (id, tag) in chunk {
            query = query.bind(*id).bind(*tag);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Keeps an uploaded file until its preview is confirmed.
pub async fn insert_pending_import(
    db: &Db,
    import_id: &str,
    user_id: &str,
    file_name: &str,
    content: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO pending_imports (import_id, user_id, file_name, content, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(import_id)
    .bind(user_id)
    .bind(file_name)
    .bind(content)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// The file this member uploaded under `import_id`, if not older than `since`.
pub async fn fetch_pending_import(
    db: &Db,
    import_id: &str,
    user_id: &str,
    since: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT content FROM pending_imports WHERE import_id = $1 AND user_id = $2 AND created_at >= $3",
    )
    .bind(import_id)
    .bind(user_id)
    .bind(since)
    .fetch_optional(db)
    .await
}

pub async fn delete_pending_import(
    db: impl Executor<'_, Database = Any>,
    import_id: &str,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM pending_imports WHERE import_id = $1")
        .bind(import_id)
        .execute(db)
        .await
        .map(|_| ())
}

/// Gives each of an erased person's invitations a stand-in contact of its own (no
/// address, name or community, and no time that could group them), so the ledger keeps
/// its counts while nothing ties the invitations, or the answers given through them, to
/// one another or to the person; and blanks the words they wrote.
async fn unlink_invitations(tx: &mut Transaction<'_, Any>, contact_id: &str) -> sqlx::Result<()> {
    let invitations: Vec<(String, i64)> = sqlx::query_as(
        "SELECT i.invitation_id, CASE WHEN c.unsubscribed_at IS NULL THEN 0 ELSE 1 END \
         FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE i.contact_id = $1",
    )
    .bind(contact_id)
    .fetch_all(&mut **tx)
    .await?;
    for (invitation_id, unsubscribed) in invitations {
        let stand_in = new_id();
        // Time 0 everywhere: the real times would be the same for every stand-in of one
        // person, which would group them again.
        sqlx::query(
            "INSERT INTO contacts (contact_id, email, name, role, created_at, erased_at, \
             unsubscribed_at) VALUES ($1, 'erased-' || $1 || '@erased.invalid', '', '', 0, 0, \
             CASE WHEN $2 = 1 THEN 0 END)",
        )
        .bind(&stand_in)
        .bind(unsubscribed)
        .execute(&mut **tx)
        .await?;
        sqlx::query("UPDATE invitations SET contact_id = $2 WHERE invitation_id = $1")
            .bind(&invitation_id)
            .bind(&stand_in)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "UPDATE answers SET text_value = NULL WHERE text_value IS NOT NULL AND response_id IN \
             (SELECT response_id FROM responses WHERE invitation_id = $1)",
        )
        .bind(&invitation_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Erases a person (GDPR): their contact row, tags and link tokens go, their waiting mail
/// is cancelled, their copies in the development mailbox and in unconfirmed imports are
/// deleted, and their written answers are blanked. Their invitations and scores stay,
/// each tied to no one (see `unlink_invitations`), so response rates and scores keep
/// their denominators. Returns false when no such contact exists.
pub async fn erase_contact(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    email: &str,
) -> sqlx::Result<Option<String>> {
    let contact_id: Option<String> = sqlx::query_scalar(
        "SELECT contact_id FROM contacts WHERE email = $1 AND erased_at IS NULL",
    )
    .bind(email)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(contact_id) = contact_id else {
        return Ok(None);
    };
    let statements = [
        "UPDATE outbox SET status = 'cancelled', to_address = NULL, last_error = NULL \
         WHERE status IN ('queued', 'sending') AND invitation_id IN \
         (SELECT invitation_id FROM invitations WHERE contact_id = $1)",
        "UPDATE outbox SET last_error = NULL WHERE invitation_id IN \
         (SELECT invitation_id FROM invitations WHERE contact_id = $1)",
        "UPDATE invitations SET token_hash = 'erased-' || invitation_id, unsubscribe_hash = NULL, \
         delivery_error = NULL WHERE contact_id = $1",
        "DELETE FROM contact_tags WHERE contact_id = $1",
        "DELETE FROM webhook_deliveries WHERE event_id IN \
         (SELECT event_id FROM webhook_events WHERE contact_id = $1)",
        "DELETE FROM webhook_events WHERE contact_id = $1",
    ];
    for sql in statements {
        sqlx::query(sql)
            .bind(&contact_id)
            .execute(&mut **tx)
            .await?;
    }
    unlink_invitations(tx, &contact_id).await?;
    sqlx::query("DELETE FROM contacts WHERE contact_id = $1")
        .bind(&contact_id)
        .execute(&mut **tx)
        .await?;
    let like = format!("%{email}%");
    sqlx::query("DELETE FROM dev_mailbox WHERE to_address = $1 OR raw LIKE $2")
        .bind(email)
        .bind(&like)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM pending_imports WHERE content LIKE $1")
        .bind(&like)
        .execute(&mut **tx)
        .await?;
    Ok(Some(contact_id))
}
