//! Free-text answers with the score the same person gave to the survey's first scored
//! question, filterable by that score, community and tier.
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{auth::model::Role, db::Db, ids::SurveyId, server::guard};

/// The most comments a page lists (newest first).
pub const COMMENTS_SHOWN: i64 = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub prompt: String,
    pub text: String,
    pub score: Option<i64>,
    /// Community and tier: None in anonymous surveys and public-link answers.
    pub community: Option<String>,
    pub tier: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comments {
    pub items: Vec<Comment>,
    pub anonymous: bool,
    /// (id, name) of communities and tiers with invitations, for the filters.
    pub communities: Vec<(String, String)>,
    pub tiers: Vec<(String, String)>,
}

/// A filter value from a query string: empty means "any".
#[cfg(feature = "ssr")]
fn any_if_empty(value: Option<String>) -> String {
    value.map(|v| v.trim().to_string()).unwrap_or_default()
}

#[server(prefix = "/fn", endpoint = "get_comments", output = crate::ui::wire::Postcard)]
pub async fn get_comments(
    survey_id: String,
    score: Option<String>,
    community: Option<String>,
    tier: Option<String>,
) -> Result<Comments, AppError> {
    guard::respond(async move {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let score = match any_if_empty(score).as_str() {
            "" => -1,
            text => text.parse::<i64>().map_err(|_| AppError::BadRequest)?,
        };
        let anonymous = crate::surveys::db::fetch_is_anonymous(&state.db, &survey_id)
            .await?
            .ok_or(AppError::NotFound)?;
        // Only groups large enough to show are named with an answer or offered as a
        // filter: a community of two filtered out would point at its two people.
        let (shown_communities, shown_tiers) = super::summary::groups_shown_with_answers(
            &state.db,
            &survey_id,
            state.config.small_group_min,
        )
        .await?;
        let communities = fetch_groups(&state.db, &survey_id, "cm.community_id, cm.name").await?;
        let tiers = fetch_groups(&state.db, &survey_id, "t.tier_id, t.name").await?;
        let communities: Vec<(String, String)> = communities
            .into_iter()
            .filter(|(_, name)| shown_communities.contains(name))
            .collect();
        let tiers: Vec<(String, String)> = tiers
            .into_iter()
            .filter(|(_, name)| shown_tiers.contains(name))
            .collect();
        // A filter names a group offered, or is ignored.
        let offered = |value: String, groups: &[(String, String)]| {
            let value = any_if_empty(Some(value));
            if groups.iter().any(|(id, _)| *id == value) {
                value
            } else {
                String::new()
            }
        };
        // In an anonymous survey answers carry no community, so these filters are moot.
        let (community, tier) = if anonymous {
            (String::new(), String::new())
        } else {
            (
                offered(community.unwrap_or_default(), &communities),
                offered(tier.unwrap_or_default(), &tiers),
            )
        };
        let filter = Filter {
            score,
            community: &community,
            tier: &tier,
        };
        let items = fetch_comments(&state.db, &survey_id, &filter)
            .await?
            .into_iter()
            .map(|mut comment| {
                if !comment
                    .community
                    .as_ref()
                    .is_some_and(|c| shown_communities.contains(c))
                {
                    comment.community = None;
                }
                if !comment
                    .tier
                    .as_ref()
                    .is_some_and(|t| shown_tiers.contains(t))
                {
                    comment.tier = None;
                }
                comment
            })
            .collect();
        Ok(Comments {
            items,
            anonymous,
            communities,
            tiers,
        })
    })
    .await
}

#[cfg(feature = "ssr")]
struct Filter<'a> {
    score: i64,
    community: &'a str,
    tier: &'a str,
}

#[cfg(feature = "ssr")]
type CommentRow = (String, String, Option<i64>, Option<String>, Option<String>);

#[cfg(feature = "ssr")]
async fn fetch_comments(
    db: &Db,
    survey_id: &str,
    filter: &Filter<'_>,
) -> sqlx::Result<Vec<Comment>> {
    let rows: Vec<CommentRow> = sqlx::query_as(
        "SELECT q.prompt, a.text_value, CAST(s.score AS BIGINT), cm.name, t.name \
         FROM answers a JOIN questions q ON q.question_id = a.question_id \
         JOIN responses r ON r.response_id = a.response_id \
         LEFT JOIN answers s ON s.response_id = r.response_id AND s.question_id = \
           (SELECT question_id FROM questions WHERE survey_id = $1 \
            AND kind IN ('csat', 'nps', 'ces', 'rating') ORDER BY position LIMIT 1) \
         LEFT JOIN invitations i ON i.invitation_id = r.invitation_id \
         LEFT JOIN contacts c ON c.contact_id = i.contact_id \
         LEFT JOIN communities cm ON cm.community_id = c.community_id \
         LEFT JOIN tiers t ON t.tier_id = cm.tier_id \
         WHERE r.survey_id = $1 AND r.completed = 1 AND q.kind IN ('short_text', 'long_text') \
         AND a.text_value IS NOT NULL AND a.text_value <> '' \
         AND ($2 < 0 OR s.score = $2) AND ($3 = '' OR cm.community_id = $3) \
         AND ($4 = '' OR t.tier_id = $4) \
         ORDER BY r.updated_at DESC LIMIT $5",
    )
    .bind(survey_id)
    .bind(filter.score)
    .bind(filter.community)
    .bind(filter.tier)
    .bind(COMMENTS_SHOWN)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(prompt, text, score, community, tier)| Comment {
            prompt,
            text,
            score,
            community,
            tier,
        })
        .collect())
}

/// Communities or tiers (`columns`: their id and name) among the survey's invitations.
#[cfg(feature = "ssr")]
async fn fetch_groups(
    db: &Db,
    survey_id: &str,
    columns: &'static str,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(&format!(
        "SELECT DISTINCT {columns} FROM invitations i \
         JOIN contacts c ON c.contact_id = i.contact_id \
         JOIN communities cm ON cm.community_id = c.community_id \
         JOIN tiers t ON t.tier_id = cm.tier_id WHERE i.survey_id = $1 ORDER BY 2"
    ))
    .bind(survey_id)
    .fetch_all(db)
    .await
}
