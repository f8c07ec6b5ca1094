//! Server functions of the contacts page: the audience, and adding communities and
//! contacts one at a time (files go through the import).
use crate::distribution::model::Audience;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::distribution::{
        contacts::db, contacts::directory, contacts::import, contacts::use_cases as contacts,
        model::CONTACTS_SHOWN,
    },
    crate::{auth::model::Role, error::FieldError, server::guard},
};

#[server(prefix = "/fn", endpoint = "get_audience", output = crate::ui::wire::Postcard)]
pub async fn get_audience() -> Result<Audience, AppError> {
    guard::respond(async {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        Ok(Audience {
            tiers: db::fetch_tiers(&state.db).await?,
            communities: db::fetch_communities(&state.db).await?,
            contacts: db::fetch_contacts(&state.db, CONTACTS_SHOWN).await?,
            total_contacts: db::count_contacts(&state.db).await?,
            undeliverable: db::fetch_undeliverable(&state.db, CONTACTS_SHOWN).await?,
        })
    })
    .await
}

#[server(prefix = "/fn", endpoint = "create_community", output = crate::ui::wire::Postcard)]
pub async fn create_community(name: String, tier_id: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let tiers = db::fetch_tiers(&state.db).await?;
        let Some(tier) = tiers.into_iter().find(|t| t.tier_id == tier_id) else {
            return Err(AppError::field("tier_id", "Choose one of the tiers."));
        };
        let edit = directory::CommunityEdit::Add {
            name,
            tier: tier.name,
            time_zone: String::new(),
        };
        let field = |_: usize, name: &str| match name {
            "tier" => "tier_id".to_string(),
            _ => "name".to_string(),
        };
        directory::save_communities(&state.db, &[edit], &field, state.clock.now()).await?;
        tracing::info!(by = user.user_id, "community created");
        Ok(())
    })
    .await
}

/// Adds or updates one contact with the same checks as a one-row import.
#[server(prefix = "/fn", endpoint = "save_contact", output = crate::ui::wire::Postcard)]
pub async fn save_contact(
    email: String,
    name: String,
    community: String,
    role: String,
    tags: String,
    /// Absent (an older form): the contact's language is left as it is.
    language: Option<String>,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let row = one_row_csv(
            &[&email, &name, &community, &role, &tags],
            language.as_deref(),
        );
        let plan = contacts::plan_import(&state.db, row.as_bytes()).await?;
        if let Some(import::Outcome::Rejected(message)) = plan.rows.first().map(|r| &r.outcome) {
            return Err(AppError::Validation(vec![FieldError::new(
                "contact",
                message.clone(),
            )]));
        }
        if !plan.can_apply() {
            return Err(AppError::field(
                "contact",
                "Fill in the address, name and community.",
            ));
        }
        contacts::apply_import(&state.db, &plan, None, &user.actor(), state.clock.now()).await?;
        Ok(())
    })
    .await
}

/// A community's or tier's name: trimmed, 1 to 120 characters, on one line.
#[cfg(feature = "ssr")]
pub fn one_line_name(name: &str, field: &str, what: &str) -> Result<String, AppError> {
    let name = name.trim();
    let chars = name.chars().count();
    if name.is_empty() || chars > 120 || name.chars().any(char::is_control) {
        return Err(AppError::field(
            field,
            format!("Give the {what} a name of at most 120 characters, on one line."),
        ));
    }
    Ok(name.to_string())
}

/// One contact as the CSV the import reads, each value quoted.
#[cfg(feature = "ssr")]
fn one_row_csv(values: &[&str], language: Option<&str>) -> String {
    let quote = |v: &str| format!("\"{}\"", v.replace('"', "\"\""));
    let mut quoted: Vec<String> = values.iter().map(|v| quote(v)).collect();
    let mut header = "email,name,community,role,tags".to_string();
    if let Some(language) = language {
        header.push_str(",language");
        quoted.push(quote(language));
    }
    format!("{header}\n{}\n", quoted.join(","))
}

/// Marks a contact's address deliverable again after a hard bounce.
#[server(prefix = "/fn", endpoint = "mark_deliverable", output = crate::ui::wire::Postcard)]
pub async fn mark_deliverable(email: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let email =
            crate::email::EmailAddress::parse(&email).map_err(|m| AppError::field("email", m))?;
        contacts::mark_deliverable(&state.db, &email, &user.actor()).await
    })
    .await
}

/// Erases a person for good (GDPR): see `audience_db::erase_contact`. The form asks for
/// the address and a confirmation, so no single click erases anyone.
#[server(prefix = "/fn", endpoint = "erase_contact", output = crate::ui::wire::Postcard)]
pub async fn erase_contact(email: String, confirm: Option<String>) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let email = crate::email::EmailAddress::parse(&email)
            .map_err(|m| AppError::field("erase_email", m))?;
        if confirm.is_none() {
            return Err(AppError::field(
                "erase_confirm",
                "Tick the box to confirm: erasing can't be undone.",
            ));
        }
        let now = state.clock.now();
        match contacts::erase_contact(&state.db, &email, &user.actor(), now).await {
            Err(AppError::NotFound) => Err(AppError::field(
                "erase_email",
                "No contact has that address.",
            )),
            done => done,
        }
    })
    .await
}
