//! The recipients table's one use case: a page of a survey's invitations as a role may
//! see them.
use super::db::{self, Narrowing};
use super::model::{
    RecipientPage, RecipientQuery, RecipientRow, RecipientStatus, MAX_SEARCH, PAGE_SIZE,
};
use crate::auth::model::Role;
use crate::db::Db;
use crate::error::AppError;
use crate::ids::SurveyId;

/// One page of the survey's recipients under `query`. Who opened or completed the survey
/// is shown only to editors and admins, and never in an anonymous survey: there those
/// people are "sent" and the table cannot be narrowed to them.
pub async fn page(
    db: &Db,
    survey_id: &SurveyId,
    query: &RecipientQuery,
    role: Role,
) -> Result<RecipientPage, AppError> {
    let anonymous = crate::surveys::db::fetch_is_anonymous(db, survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let shows_who_answered = !anonymous && role.includes(Role::Editor);
    let status = RecipientStatus::parse(&query.status)?;
    if status.is_some_and(|s| s.tells_who_answered() && !shows_who_answered) {
        return Err(AppError::field(
            "status",
            "Who opened or completed this survey is not shown here, so the list can't be narrowed to them.",
        ));
    }
    let pattern = like_pattern(&query.search)?;
    let groups = db::fetch_groups(db, survey_id).await?;
    let mut communities: Vec<(String, String)> = groups
        .iter()
        .map(|(id, name, ..)| (id.clone(), name.clone()))
        .collect();
    communities.sort_by(|a, b| a.1.cmp(&b.1));
    let mut tiers: Vec<(String, String)> = Vec::new();
    for (.., tier_id, tier) in &groups {
        if !tiers.iter().any(|(id, _)| id == tier_id) {
            tiers.push((tier_id.clone(), tier.clone()));
        }
    }
    let community_id = offered("community", &query.community, &communities)?;
    let tier_id = offered("tier", &query.tier, &tiers)?;
    let after = cursor(&query.after)?;
    let narrowing = Narrowing {
        survey_id,
        pattern: &pattern,
        community_id,
        tier_id,
        shows_who_answered,
    };
    let mut rows = db::fetch_rows(
        db,
        &narrowing,
        status.map(RecipientStatus::as_str).unwrap_or_default(),
        after,
        PAGE_SIZE + 1,
    )
    .await?;
    let next = (rows.len() as i64 > PAGE_SIZE).then(|| {
        rows.truncate(PAGE_SIZE as usize);
        rows.last()
            .map(|r| format!("{}|{}", r.0, r.8))
            .unwrap_or_default()
    });
    let found = db::fetch_status_counts(db, &narrowing).await?;
    let counts: Vec<(RecipientStatus, i64)> = RecipientStatus::ALL
        .into_iter()
        .filter(|s| shows_who_answered || !s.tells_who_answered())
        .map(|s| {
            let n = found
                .iter()
                .filter(|(text, _)| text == s.as_str())
                .map(|(_, n)| *n)
                .sum();
            (s, n)
        })
        // A survey never shown in a product has no such status to filter by.
        .filter(|(s, n)| *s != RecipientStatus::Shown || *n > 0 || status == Some(*s))
        .collect();
    let matching = counts
        .iter()
        .filter(|(s, _)| status.is_none_or(|wanted| wanted == *s))
        .map(|(_, n)| n)
        .sum();
    Ok(RecipientPage {
        rows: rows.into_iter().map(row).collect(),
        next,
        counts,
        matching,
        total: db::count_invitations(db, survey_id).await?,
        shows_who_answered,
        anonymous,
        communities,
        tiers,
    })
}

fn row(tuple: db::RowTuple) -> RecipientRow {
    let (email, name, community, invited_at, status, completed_at, error, queued, _) = tuple;
    let status = db::status_of(&status);
    RecipientRow {
        email,
        name,
        community,
        invited_at,
        status,
        completed_at,
        delivery_error: error.filter(|_| status == RecipientStatus::Bounced),
        queued: queued != 0,
    }
}

/// The search as a lowercase `LIKE` pattern matching anywhere, its own `%`, `_` and `\`
/// taken literally; empty for no search.
fn like_pattern(search: &str) -> Result<String, AppError> {
    let search = search.trim();
    if search.chars().count() > MAX_SEARCH {
        return Err(AppError::field(
            "search",
            format!("Search for at most {MAX_SEARCH} characters."),
        ));
    }
    if search.is_empty() {
        return Ok(String::new());
    }
    let mut pattern = String::from("%");
    for c in search.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Ok(pattern)
}

/// The id a filter names, if it is one of those offered; empty for any.
fn offered<'a>(
    field: &str,
    value: &'a str,
    groups: &[(String, String)],
) -> Result<&'a str, AppError> {
    let value = value.trim();
    if value.is_empty() || groups.iter().any(|(id, _)| id == value) {
        Ok(value)
    } else {
        Err(AppError::field(
            field,
            format!("No one invited to this survey is in that {field}."),
        ))
    }
}

/// (address, invitation id) of the row a page starts after; empty for the first page.
fn cursor(after: &str) -> Result<(&str, &str), AppError> {
    if after.is_empty() {
        return Ok(("", ""));
    }
    after.rsplit_once('|').ok_or_else(|| {
        AppError::field(
            "after",
            "That page of the list is not one this page gave out; start from the first page.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_matches_its_wildcards_literally_and_ignores_case() {
        assert_eq!(like_pattern(" Ada ").unwrap(), "%ada%");
        assert_eq!(like_pattern("50%_off\\").unwrap(), "%50\\%\\_off\\\\%");
        assert_eq!(like_pattern("   ").unwrap(), "");
    }

    #[test]
    fn a_search_longer_than_the_limit_is_refused_with_a_field_message() {
        let error = like_pattern(&"a".repeat(MAX_SEARCH + 1)).unwrap_err();
        assert!(error.message_for("search").is_some());
    }

    #[test]
    fn a_cursor_splits_at_its_last_bar_since_an_address_may_hold_one() {
        assert_eq!(cursor("a|b@x.org|id-1").unwrap(), ("a|b@x.org", "id-1"));
        assert_eq!(cursor("").unwrap(), ("", ""));
        assert!(cursor("garbled").is_err());
    }

    #[test]
    fn an_unknown_status_is_refused_and_empty_means_any() {
        assert_eq!(RecipientStatus::parse("").unwrap(), None);
        assert_eq!(
            RecipientStatus::parse("bounced").unwrap(),
            Some(RecipientStatus::Bounced)
        );
        assert!(RecipientStatus::parse("answered").is_err());
    }
}
