//! `/u/{token}`: the unsubscribe link of every invitation. Opening it asks for a
//! confirmation (mail scanners follow links, and a GET must change nothing); the button,
//! or a mail client's RFC 8058 one-click POST, unsubscribes the contact from all future
//! surveys. The page offers an undo. Links to surveys already received keep working.
use crate::distribution::sending::db::{self, UnsubscribeTarget};
use crate::error::AppResult;
use crate::languages::choice;
use crate::languages::model::Language;
use crate::languages::words::Words;
use crate::responses::page;
use crate::server::html::private_page;
use crate::server::token::{SecretToken, LINK_TOKEN_BYTES};
use crate::server::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use http::{HeaderMap, StatusCode};
use leptos::prelude::*;

pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    respond(&state, &token, &headers, None).await
}

/// The confirmation button posts `action=unsubscribe` or `action=undo`; a mail client's
/// one-click request posts `List-Unsubscribe=One-Click`, which unsubscribes.
pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    let undo = fields.iter().any(|(k, v)| k == "action" && v == "undo");
    respond(&state, &token, &headers, Some(!undo)).await
}

/// Shows the page, after unsubscribing (`Some(true)`) or undoing (`Some(false)`), in the
/// contact's language where Soundings ships its words, else the browser's.
async fn respond(
    state: &AppState,
    token: &str,
    headers: &HeaderMap,
    change: Option<bool>,
) -> Response {
    let browser = choice::words_language(choice::accept_language(headers));
    let words = Words::new(browser);
    let result: AppResult<Response> = async {
        let Some(mut target) = find(state, token).await? else {
            return Ok(private_page(
                StatusCode::NOT_FOUND,
                page::message_in(
                    browser,
                    &words.get("link-unknown-heading"),
                    &words.get("link-unknown-short"),
                ),
            ));
        };
        let preferred = target
            .language
            .as_deref()
            .and_then(|c| Language::parse(c).ok());
        let language = choice::words_language_for(preferred, choice::accept_language(headers));
        match change {
            Some(true) => {
                db::unsubscribe(&state.db, &target, state.clock.now()).await?;
                tracing::info!(invitation_id = target.invitation_id, "contact unsubscribed");
                target.unsubscribed = true;
            }
            Some(false) => {
                db::resubscribe(&state.db, &target).await?;
                tracing::info!(invitation_id = target.invitation_id, "contact resubscribed");
                target.unsubscribed = false;
            }
            None => {}
        }
        Ok(private_page(
            StatusCode::OK,
            confirmation(token, &target, change.is_some(), language),
        ))
    }
    .await;
    result.unwrap_or_else(|error| {
        let status = error.status_code();
        let title = words.get("went-wrong");
        private_page(
            status,
            page::message_in(browser, &title, &error.to_string()),
        )
    })
}

async fn find(state: &AppState, token: &str) -> AppResult<Option<UnsubscribeTarget>> {
    let Some(token) = SecretToken::parse(token, LINK_TOKEN_BYTES) else {
        return Ok(None);
    };
    Ok(db::fetch_by_unsubscribe_hash(&state.db, token.hash().as_str()).await?)
}

fn confirmation(
    token: &str,
    target: &UnsubscribeTarget,
    changed: bool,
    language: Language,
) -> String {
    let action = format!("/u/{token}");
    let who = masked(&target.email);
    let words = Words::new(language);
    // (title, text, button) as message keys, and what the button does.
    let (title, text, button, value) = match (target.unsubscribed, changed) {
        (true, true) => (
            "unsubscribed-title",
            "unsubscribed-now",
            "unsubscribed-undo",
            "undo",
        ),
        (true, false) => (
            "unsubscribed-title",
            "unsubscribed-already",
            "unsubscribed-again",
            "undo",
        ),
        (false, true) => (
            "resubscribed-title",
            "resubscribed-text",
            "resubscribed-undo",
            "unsubscribe",
        ),
        (false, false) => (
            "unsubscribe-title",
            "unsubscribe-text",
            "unsubscribe-button",
            "unsubscribe",
        ),
    };
    let (title, button) = (words.get(title), words.get(button));
    let text = words.with_texts(text, &[("who", &who)]);
    let primary = if value == "unsubscribe" {
        "button primary large"
    } else {
        "button large"
    };
    page::link_status(
        language,
        &title,
        text,
        view! {
            <form method="post" action=action class="stack">
                <input type="hidden" name="action" value=value/>
                <button type="submit" class=primary>{button}</button>
            </form>
        },
    )
}

/// `ada@example.org` → `a•••@example.org`: enough to recognise, not to harvest.
fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "This address".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn an_address_is_shown_with_its_local_part_hidden() {
        assert_eq!(masked("ada@example.org"), "a•••@example.org");
    }
}
