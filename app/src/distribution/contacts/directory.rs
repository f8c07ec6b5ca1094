//! The team's tiers and communities edited as lists, all or nothing: the use cases behind
//! the contacts page's forms and `/api/v1/tiers` and `/api/v1/communities`. A list is
//! checked against the state it would leave (names unique ignoring case, at most
//! [`MAX_TIERS`] tiers) before anything is written, so two names can swap in one list
//! and a half-applied list never exists. Tiers are never deleted: past results are
//! broken down by them.
use super::db as audience_db;
use super::directory_db as sql;
use crate::db::Db;
use crate::error::{AppError, AppResult, FieldError};
use crate::local_time::Zone;
use std::collections::HashMap;

/// Most tiers a team can define: a breakdown by tier stays readable.
pub const MAX_TIERS: usize = 12;
/// Most edits one list may hold, so one request stays quick.
pub const MAX_EDITS: usize = 500;
pub const MAX_TIER_CHARS: usize = 60;
pub const MAX_COMMUNITY_CHARS: usize = 120;

/// Names the field a problem belongs to, from the edit's position in its list and the
/// field's own name (`id`, `name`, `tier`, `time_zone`): each front door names its own.
pub type FieldNames<'a> = &'a (dyn Fn(usize, &str) -> String + Sync);

/// A tier to add (no id) or to rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierEdit {
    pub id: Option<String>,
    pub name: String,
    /// Refuse an addition whose name exists, as a person adding one expects; otherwise
    /// it is left as it is, so a script can send the same list again.
    pub refuse_existing: bool,
}

/// One change to the communities. Tiers are named; a name not known yet adds the tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommunityEdit {
    /// A new community; refused when one of that name exists.
    Add {
        name: String,
        tier: String,
        time_zone: String,
    },
    /// By name, as a pipeline keeps a list in step: created when unknown (a tier is then
    /// needed), otherwise moved to the tier and time zone given.
    Put {
        name: String,
        tier: Option<String>,
        time_zone: Option<String>,
    },
    /// By id: renamed, and moved when a tier or time zone is given.
    Change {
        id: String,
        name: String,
        tier: Option<String>,
        time_zone: Option<String>,
    },
}

/// What a list did, edit by edit counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Saved {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Tiers a community list named that did not exist yet.
    pub tiers_created: usize,
}

/// The field a one-row form names an unknown id with, so that [`gone_as_not_found`] can
/// turn it into "not found": the row was deleted or never existed, not mistyped.
pub const GONE: &str = "gone";

/// For a form that edits one row by id: once what was typed is fine, a missing row is
/// "not found".
pub fn gone_as_not_found(error: AppError) -> AppError {
    match &error {
        AppError::Validation(problems) if problems.iter().all(|p| p.field == GONE) => {
            AppError::NotFound
        }
        _ => error,
    }
}

/// A tier's name: one line of at most [`MAX_TIER_CHARS`] characters.
pub fn tier_name(raw: &str) -> Result<String, String> {
    one_line(raw, MAX_TIER_CHARS, "tier")
}

/// A community's name: one line of at most [`MAX_COMMUNITY_CHARS`] characters.
pub fn community_name(raw: &str) -> Result<String, String> {
    one_line(raw, MAX_COMMUNITY_CHARS, "community")
}

fn one_line(raw: &str, most: usize, what: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > most || name.chars().any(char::is_control) {
        return Err(format!(
            "Give the {what} a name of at most {most} characters, on one line."
        ));
    }
    Ok(name.to_string())
}

/// A community's time zone as stored: an IANA name, or "" for the team's.
pub fn community_zone(input: &str) -> Result<String, String> {
    match input.trim() {
        "" => Ok(String::new()),
        name => Zone::parse(name).map(|zone| zone.name().to_string()),
    }
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

fn too_many(edits: usize, field: FieldNames) -> AppResult<()> {
    match edits {
        0 => Err(AppError::field(
            &field(0, "list"),
            "Send at least one edit.",
        )),
        n if n > MAX_EDITS => Err(AppError::field(
            &field(0, "list"),
            format!("At most {MAX_EDITS} edits at once; send the rest in another list."),
        )),
        _ => Ok(()),
    }
}

fn refused(problems: Vec<FieldError>) -> AppResult<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(problems))
    }
}

/// A concurrent list that took a name first trips the unique index: ask to try again
/// rather than report a failure of ours.
fn written(error: sqlx::Error) -> AppError {
    let unique = error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation());
    if unique {
        AppError::Conflict("Someone changed the same names at the same time. Try again.".into())
    } else {
        error.into()
    }
}

/// The tiers as a list leaves them: stored ones by id (renamed where the list renames
/// them), then new ones; each with the edit that named it last, if any.
struct TierState {
    tiers: Vec<PlannedTier>,
}

/// A tier's id (none for a new one), its name, and the edit that named it.
type PlannedTier = (Option<String>, String, Option<usize>);

impl TierState {
    fn find(&self, name: &str) -> Option<usize> {
        self.tiers.iter().position(|(_, n, _)| key(n) == key(name))
    }
}

/// Adds and renames tiers, all or nothing.
pub async fn save_tiers(
    db: &Db,
    edits: &[TierEdit],
    field: FieldNames<'_>,
    now: i64,
) -> AppResult<Saved> {
    too_many(edits.len(), field)?;
    let mut tx = db.begin_write().await?;
    let stored = audience_db::fetch_tiers(&mut *tx).await?;
    let mut state = TierState {
        tiers: stored
            .iter()
            .map(|t| (Some(t.tier_id.clone()), t.name.clone(), None))
            .collect(),
    };
    let mut problems = Vec::new();
    let mut saved = Saved::default();
    let mut renames = Vec::new();
    let names: Vec<Option<String>> = edits
        .iter()
        .enumerate()
        .map(|(i, edit)| match tier_name(&edit.name) {
            Ok(name) => Some(name),
            Err(message) => {
                problems.push(FieldError::new(&field(i, "name"), message));
                None
            }
        })
        .collect();
    // Renames first, so an addition is compared with the names the list leaves.
    for (i, edit) in edits.iter().enumerate() {
        let (Some(id), Some(name)) = (&edit.id, &names[i]) else {
            continue;
        };
        match state
            .tiers
            .iter_mut()
            .find(|(own, _, _)| own.as_ref() == Some(id))
        {
            None => problems.push(FieldError::new(&field(i, "id"), "No tier has this id.")),
            Some(tier) if tier.1 == *name => saved.unchanged += 1,
            Some(tier) => {
                tier.1 = name.clone();
                tier.2 = Some(i);
                renames.push((id.clone(), name.clone()));
            }
        }
    }
    let mut additions: Vec<(usize, String)> = Vec::new();
    for (i, edit) in edits.iter().enumerate() {
        let (None, Some(name)) = (&edit.id, &names[i]) else {
            continue;
        };
        if state.find(name).is_some() && !additions.iter().any(|(_, n)| key(n) == key(name)) {
            if edit.refuse_existing {
                let message = format!("A tier called “{name}” exists already.");
                problems.push(FieldError::new(&field(i, "name"), message));
            } else {
                saved.unchanged += 1;
            }
            continue;
        }
        state.tiers.push((None, name.clone(), Some(i)));
        additions.push((i, name.clone()));
    }
    problems.extend(clashes(
        state
            .tiers
            .iter()
            .map(|(_, name, edit)| (name.as_str(), *edit)),
        field,
        |name| format!("A tier called “{name}” exists already."),
    ));
    if state.tiers.len() > MAX_TIERS {
        if let Some((i, _)) = additions.first() {
            problems.push(FieldError::new(
                &field(*i, "name"),
                format!("At most {MAX_TIERS} tiers: rename one instead."),
            ));
        }
    }
    refused(problems)?;
    sql::rename_tiers(&mut tx, &renames)
        .await
        .map_err(written)?;
    for (_, name) in &additions {
        sql::insert_tier_last(&mut tx, name, now)
            .await
            .map_err(written)?;
    }
    tx.commit().await?;
    saved.created = additions.len();
    saved.updated = renames.len();
    Ok(saved)
}

/// One community as a list leaves it.
#[derive(Debug, Clone)]
struct Planned {
    id: Option<String>,
    name: String,
    tier: String,
    time_zone: String,
    /// The edit that last changed it.
    edit: Option<usize>,
    changed: bool,
}

/// Adds, renames and moves communities (and adds the tiers they name), all or nothing.
pub async fn save_communities(
    db: &Db,
    edits: &[CommunityEdit],
    field: FieldNames<'_>,
    now: i64,
) -> AppResult<Saved> {
    too_many(edits.len(), field)?;
    let mut tx = db.begin_write().await?;
    let tiers = audience_db::fetch_tiers(&mut *tx).await?;
    let mut tier_names: HashMap<String, String> = tiers
        .iter()
        .map(|t| (key(&t.name), t.name.clone()))
        .collect();
    let mut new_tiers: Vec<String> = Vec::new();
    let mut communities: Vec<Planned> = sql::fetch_communities(&mut tx)
        .await?
        .into_iter()
        .map(|(id, name, tier, time_zone)| Planned {
            id: Some(id),
            name,
            tier,
            time_zone,
            edit: None,
            changed: false,
        })
        .collect();
    let mut problems = Vec::new();
    let mut saved = Saved::default();
    let mut read_tier = |i: usize, raw: &str, problems: &mut Vec<FieldError>| -> Option<String> {
        match tier_name(raw) {
            Ok(name) => Some(
                tier_names
                    .entry(key(&name))
                    .or_insert_with(|| {
                        new_tiers.push(name.clone());
                        name.clone()
                    })
                    .clone(),
            ),
            Err(message) => {
                problems.push(FieldError::new(&field(i, "tier"), message));
                None
            }
        }
    };
    let read_zone = |i: usize, raw: &str, problems: &mut Vec<FieldError>| match community_zone(raw)
    {
        Ok(zone) => Some(zone),
        Err(message) => {
            problems.push(FieldError::new(&field(i, "time_zone"), message));
            None
        }
    };
    let read_name = |i: usize, raw: &str, problems: &mut Vec<FieldError>| match community_name(raw)
    {
        Ok(name) => Some(name),
        Err(message) => {
            problems.push(FieldError::new(&field(i, "name"), message));
            None
        }
    };
    // By id first, so an edit by name meets the names the list leaves.
    for (i, edit) in edits.iter().enumerate() {
        let CommunityEdit::Change {
            id,
            name,
            tier,
            time_zone,
        } = edit
        else {
            continue;
        };
        let name = read_name(i, name, &mut problems);
        let tier = tier.as_deref().map(|t| read_tier(i, t, &mut problems));
        let zone = time_zone.as_deref().map(|z| read_zone(i, z, &mut problems));
        let Some(found) = communities
            .iter_mut()
            .find(|c| c.id.as_deref() == Some(id.as_str()))
        else {
            problems.push(FieldError::new(
                &field(i, "id"),
                "No community has this id.",
            ));
            continue;
        };
        let (Some(name), Some(tier), Some(zone)) = (
            name,
            tier.unwrap_or(Some(found.tier.clone())),
            zone.unwrap_or(Some(found.time_zone.clone())),
        ) else {
            continue;
        };
        move_to(found, i, name, tier, zone, &mut saved);
    }
    let mut created = 0;
    for (i, edit) in edits.iter().enumerate() {
        let (name, tier, zone, must_be_new) = match edit {
            CommunityEdit::Change { .. } => continue,
            CommunityEdit::Add {
                name,
                tier,
                time_zone,
            } => (name, Some(tier.as_str()), Some(time_zone.as_str()), true),
            CommunityEdit::Put {
                name,
                tier,
                time_zone,
            } => (name, tier.as_deref(), time_zone.as_deref(), false),
        };
        let name = read_name(i, name, &mut problems);
        let tier = tier.map(|t| read_tier(i, t, &mut problems));
        let zone = zone.map(|z| read_zone(i, z, &mut problems));
        let Some(name) = name else { continue };
        let found = communities.iter_mut().find(|c| key(&c.name) == key(&name));
        match found {
            Some(existing) if must_be_new || existing.id.is_none() => {
                let message =
                    format!("“{name}” already exists (names are compared ignoring case).");
                problems.push(FieldError::new(&field(i, "name"), message));
            }
            Some(existing) => {
                let (Some(tier), Some(zone)) = (
                    tier.unwrap_or(Some(existing.tier.clone())),
                    zone.unwrap_or(Some(existing.time_zone.clone())),
                ) else {
                    continue;
                };
                let name = existing.name.clone();
                move_to(existing, i, name, tier, zone, &mut saved);
            }
            None => match tier {
                None => problems.push(FieldError::new(
                    &field(i, "tier"),
                    format!("“{name}” is new: give its tier."),
                )),
                Some(None) => {}
                Some(Some(tier)) => {
                    created += 1;
                    communities.push(Planned {
                        id: None,
                        name,
                        tier,
                        time_zone: zone.flatten().unwrap_or_default(),
                        edit: Some(i),
                        changed: true,
                    });
                }
            },
        }
    }
    problems.extend(clashes(
        communities.iter().map(|c| (c.name.as_str(), c.edit)),
        field,
        |name| format!("“{name}” already exists (names are compared ignoring case)."),
    ));
    let used: std::collections::HashSet<String> =
        communities.iter().map(|c| key(&c.tier)).collect();
    new_tiers.retain(|t| used.contains(&key(t)));
    if tiers.len() + new_tiers.len() > MAX_TIERS {
        problems.push(FieldError::new(
            &field(0, "tier"),
            format!(
                "At most {MAX_TIERS} tiers: this list would add {}.",
                new_tiers.join(", ")
            ),
        ));
    }
    refused(problems)?;
    for name in &new_tiers {
        sql::insert_tier_last(&mut tx, name, now)
            .await
            .map_err(written)?;
    }
    let tier_ids: HashMap<String, String> = audience_db::fetch_tiers(&mut *tx)
        .await?
        .into_iter()
        .map(|t| (key(&t.name), t.tier_id))
        .collect();
    let row = |id: String, c: &Planned| sql::CommunityRow {
        id,
        name: c.name.clone(),
        tier_id: tier_ids.get(&key(&c.tier)).cloned().unwrap_or_default(),
        time_zone: c.time_zone.clone(),
    };
    let changed: Vec<&Planned> = communities.iter().filter(|c| c.changed).collect();
    let (known, fresh): (Vec<&Planned>, Vec<&Planned>) =
        changed.into_iter().partition(|c| c.id.is_some());
    let known: Vec<sql::CommunityRow> = known
        .into_iter()
        .map(|c| row(c.id.clone().unwrap_or_default(), c))
        .collect();
    sql::update_communities(&mut tx, &known)
        .await
        .map_err(written)?;
    for c in fresh {
        sql::insert_community(&mut tx, &row(crate::db::new_id(), c), now)
            .await
            .map_err(written)?;
    }
    tx.commit().await?;
    saved.created = created;
    saved.tiers_created = new_tiers.len();
    Ok(saved)
}

/// Gives a known community its new name, tier and time zone, counting whether that
/// changes anything. An edit by name never renames (its name is the one it found).
fn move_to(
    community: &mut Planned,
    edit: usize,
    name: String,
    tier: String,
    time_zone: String,
    saved: &mut Saved,
) {
    let same = community.name == name
        && key(&community.tier) == key(&tier)
        && community.time_zone == time_zone;
    if same {
        saved.unchanged += 1;
        return;
    }
    if !community.changed {
        saved.updated += 1;
    }
    community.name = name;
    community.tier = tier;
    community.time_zone = time_zone;
    community.edit = Some(edit);
    community.changed = true;
}

/// A problem for every edit whose name (ignoring case) another row of the final list also
/// has: `rows` are each row's name and the edit that named it, if any.
fn clashes<'a>(
    rows: impl Iterator<Item = (&'a str, Option<usize>)>,
    field: FieldNames,
    message: impl Fn(&str) -> String,
) -> Vec<FieldError> {
    let mut by_key: HashMap<String, Vec<(&str, Option<usize>)>> = HashMap::new();
    for (name, edit) in rows {
        by_key.entry(key(name)).or_default().push((name, edit));
    }
    let mut problems: Vec<(usize, FieldError)> = by_key
        .values()
        .filter(|same| same.len() > 1)
        .flat_map(|same| {
            same.iter()
                .filter_map(|(name, edit)| edit.map(|i| (i, *name)))
        })
        .map(|(i, name)| (i, FieldError::new(&field(i, "name"), message(name))))
        .collect();
    problems.sort_by_key(|(i, _)| *i);
    problems.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tier_name_is_one_short_line() {
        assert_eq!(tier_name("  Gold ").as_deref(), Ok("Gold"));
        assert!(tier_name("").is_err());
        assert!(tier_name("a\nb").is_err());
        assert!(tier_name(&"x".repeat(MAX_TIER_CHARS + 1)).is_err());
    }

    #[test]
    fn a_community_zone_is_an_iana_name_or_empty_for_the_teams() {
        assert_eq!(community_zone(" ").as_deref(), Ok(""));
        assert_eq!(
            community_zone("Australia/Sydney").as_deref(),
            Ok("Australia/Sydney")
        );
        assert!(community_zone("Mars/Olympus").is_err());
    }
}
