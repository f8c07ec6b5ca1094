//! The survey page's public-link panel and the server function behind its buttons.
use super::model::{PublicLink, SurveyStatus};
use crate::error::AppError;
use crate::ui::{FormAction, FormMessage, ServerForm};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::db,
    crate::ids::SurveyId,
    crate::{
        auth::model::Role,
        server::guard,
        server::token::{SecretToken, LINK_TOKEN_BYTES},
    },
};

/// Turns a survey's public link `on` (keeping the current one), `renew`s it (the old
/// address stops working) or turns it `off`.
#[server(prefix = "/fn", endpoint = "set_public_link", output = crate::ui::wire::Postcard)]
pub async fn set_public_link(survey_id: String, change: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let status = db::fetch_survey_status(&state.db, &survey_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let current = db::fetch_public_token(&state.db, &survey_id).await?;
        let token = match change.as_str() {
            "off" => None,
            _ if status == SurveyStatus::Closed => {
                return Err(AppError::Conflict(
                    "This survey is closed, so a public link would take no answers.".into(),
                ))
            }
            "on" if current.is_some() => return Ok(()),
            "on" | "renew" => Some(SecretToken::generate(LINK_TOKEN_BYTES)?),
            _ => return Err(AppError::BadRequest),
        };
        db::update_public_token(&state.db, &survey_id, token.as_ref().map(|t| t.expose())).await?;
        tracing::info!(survey_id = %survey_id, by = user.user_id, change, "public link changed");
        Ok(())
    })
    .await
}

/// What the survey page shows about the public link, with its buttons for editors.
#[component]
pub fn PublicLinkPanel(
    survey_id: String,
    status: SurveyStatus,
    link: PublicLink,
    can_edit: bool,
    action: FormAction<SetPublicLink>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let can_change = can_edit && status != SurveyStatus::Closed;
    let button = move |change: &'static str, label: &'static str, class: &'static str| {
        let survey_id = survey_id.clone();
        view! {
            <ServerForm action attr:class="inline-form">
                <input type="hidden" name="survey_id" value=survey_id/>
                <input type="hidden" name="change" value=change/>
                <button type="submit" class=class>{label}</button>
            </ServerForm>
        }
    };
    let body = match link.url {
        None => view! {
            <p>"Off. A public link lets anyone who has it answer, anonymously: for a forum post or a chat channel."</p>
            <p class="hint">"Answers through it have no invitation, so they are counted apart from the response rate, and they can't be changed once sent."</p>
            {can_change.then(|| button("on", "Turn on the public link", "button"))}
        }
        .into_any(),
        Some(url) => view! {
            <p><a class="personal-link" href=url.clone() rel="external" data-testid="public-link">{url.clone()}</a></p>
            <p class="hint">{format!(
                "{} through this link so far. Answers are anonymous; each network may send {} an hour.",
                crate::ui::count(link.responses, "response", "responses"), link.limit_per_hour
            )}</p>
            {can_edit.then(|| view! {
                <div class="page-actions">
                    {can_change.then(|| button("renew", "Make a new link", "button small"))}
                    {button("off", "Turn off", "button small danger")}
                </div>
            })}
        }
        .into_any(),
    };
    view! {
        <section class="card" aria-labelledby="public-link-title">
            <h2 id="public-link-title">"Public link"</h2>
            <FormMessage error fields=&[]/>
            {body}
        </section>
    }
}
