//! Server functions of the webhooks pages (admins only).
use super::model::{Webhook, WebhookDetail};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::audit::{model::Subject, record::record, Action};
#[cfg(feature = "ssr")]
use {
    super::{db, emit, model, signing, target},
    crate::{auth::model::Role, db::new_id, server::guard},
};

/// Deliveries the webhook page lists.
pub const LOG_LENGTH: i64 = 50;

#[server(prefix = "/fn", endpoint = "list_webhooks", output = crate::ui::wire::Postcard)]
pub async fn list_webhooks() -> Result<Vec<Webhook>, AppError> {
    guard::respond(async {
        let (state, _) = guard::require_role(Role::Admin).await?;
        Ok(db::fetch_webhooks(&state.db).await?)
    })
    .await
}

/// Registers an endpoint, after checking where it leads, and opens its page.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/fn", endpoint = "create_webhook", output = crate::ui::wire::Postcard)]
pub async fn create_webhook(
    name: String,
    url: String,
    response_completed: Option<String>,
    survey_closed: Option<String>,
    send_finished: Option<String>,
    contact_unsubscribed: Option<String>,
    allow_private: Option<String>,
) -> Result<String, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Admin).await?;
        let chosen = [
            (response_completed, emit::RESPONSE_COMPLETED),
            (survey_closed, emit::SURVEY_CLOSED),
            (send_finished, emit::SEND_FINISHED),
            (contact_unsubscribed, emit::CONTACT_UNSUBSCRIBED),
        ];
        let events: Vec<String> = chosen
            .into_iter()
            .filter(|(on, _)| on.is_some())
            .map(|(_, event)| event.to_string())
            .collect();
        let request = NewEndpoint {
            name: &name,
            url: &url,
            events: &events,
            allow_private: allow_private.is_some(),
        };
        let webhook_id = register(&state.db, &request, &user.actor(), state.clock.now()).await?;
        tracing::info!(webhook_id, by = user.user_id, "webhook registered");
        leptos_axum::redirect(&format!("/webhooks/{webhook_id}"));
        Ok(webhook_id)
    })
    .await
}

/// What registering an endpoint takes.
#[cfg(feature = "ssr")]
pub struct NewEndpoint<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub events: &'a [String],
    pub allow_private: bool,
}

/// Checks and stores an endpoint; every problem is reported on its field.
#[cfg(feature = "ssr")]
pub async fn register(
    db_pool: &crate::db::Db,
    request: &NewEndpoint<'_>,
    by: &crate::audit::Actor,
    now: i64,
) -> Result<String, AppError> {
    let name =
        crate::distribution::contacts::api::one_line_name(request.name, "webhook_name", "webhook")?;
    if request.events.is_empty() || !request.events.iter().all(|e| model::is_event(e)) {
        return Err(AppError::field(
            "webhook_events",
            "Choose at least one event to send.",
        ));
    }
    let checked = target::parse(request.url, request.allow_private)
        .map_err(|message| AppError::field("webhook_url", message))?;
    target::resolve(&checked, request.allow_private)
        .await
        .map_err(|message| AppError::field("webhook_url", message))?;
    let webhook_id = new_id();
    let hook = db::NewWebhook {
        webhook_id: &webhook_id,
        name: &name,
        url: &checked.url,
        events: request.events,
        allow_private: request.allow_private,
        secret_nonce: &new_id(),
        created_by: by.member_id(),
    };
    db::insert_webhook(db_pool, &hook, now).await?;
    let detail = format!("“{name}”: {}", request.events.join(", "));
    let subject = Some(Subject::webhook(&webhook_id));
    record(db_pool, by, Action::WebhookAdded, subject, &detail, now).await?;
    Ok(webhook_id)
}

#[server(prefix = "/fn", endpoint = "get_webhook", output = crate::ui::wire::Postcard)]
pub async fn get_webhook(webhook_id: String) -> Result<WebhookDetail, AppError> {
    guard::respond(async move {
        let (state, _) = guard::require_role(Role::Admin).await?;
        let (webhook, nonce) = db::fetch_webhook(&state.db, &webhook_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let deliveries = db::fetch_deliveries(&state.db, &webhook_id, LOG_LENGTH).await?;
        let secret = signing::secret(&state.config, &webhook.webhook_id, &nonce);
        Ok(WebhookDetail {
            webhook,
            secret,
            deliveries,
        })
    })
    .await
}

/// Pauses (`active` = "false") or resumes an endpoint; paused, its deliveries wait.
#[server(prefix = "/fn", endpoint = "set_webhook_active", output = crate::ui::wire::Postcard)]
pub async fn set_webhook_active(webhook_id: String, active: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Admin).await?;
        let active = active == "true";
        if !db::set_active(&state.db, &webhook_id, active).await? {
            return Err(AppError::NotFound);
        }
        let detail = if active { "resumed" } else { "paused" };
        let subject = Some(Subject::webhook(&webhook_id));
        let now = state.clock.now();
        record(
            &state.db,
            &user.actor(),
            Action::WebhookChanged,
            subject,
            detail,
            now,
        )
        .await?;
        tracing::info!(
            webhook_id,
            active,
            by = user.user_id,
            "webhook paused or resumed"
        );
        Ok(())
    })
    .await
}

#[server(prefix = "/fn", endpoint = "delete_webhook", output = crate::ui::wire::Postcard)]
pub async fn delete_webhook(webhook_id: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Admin).await?;
        if !db::delete_webhook(&state.db, &webhook_id).await? {
            return Err(AppError::NotFound);
        }
        let subject = Some(Subject::webhook(&webhook_id));
        let now = state.clock.now();
        record(
            &state.db,
            &user.actor(),
            Action::WebhookRemoved,
            subject,
            "",
            now,
        )
        .await?;
        tracing::info!(webhook_id, by = user.user_id, "webhook deleted");
        leptos_axum::redirect("/webhooks");
        Ok(())
    })
    .await
}

/// Queues a `ping` to this endpoint alone, so an admin can check it receives and verifies.
#[server(prefix = "/fn", endpoint = "send_test_webhook", output = crate::ui::wire::Postcard)]
pub async fn send_test_webhook(webhook_id: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, _) = guard::require_role(Role::Admin).await?;
        if db::fetch_webhook(&state.db, &webhook_id).await?.is_none() {
            return Err(AppError::NotFound);
        }
        let mut tx = state.db.begin().await?;
        let event = emit::Event {
            event: model::PING,
            event_id: format!("{}:{}", model::PING, new_id()),
            data: serde_json::json!({ "webhook_id": webhook_id }),
            contact_id: None,
        };
        emit::record(&mut tx, event, Some(&webhook_id), state.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Sends a failed delivery again, with its attempts counted from zero.
#[server(prefix = "/fn", endpoint = "retry_webhook_delivery", output = crate::ui::wire::Postcard)]
pub async fn retry_webhook_delivery(
    webhook_id: String,
    delivery_id: String,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, _) = guard::require_role(Role::Admin).await?;
        if !db::retry_now(&state.db, &webhook_id, &delivery_id, state.clock.now()).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    })
    .await
}
