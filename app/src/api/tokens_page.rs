//! `/api-tokens`: admins create tokens for scripts and release pipelines (the secret is
//! shown once), see when each was last used, and revoke them.
use super::model::ApiToken;
use super::tokens::{list_api_tokens, RevokeApiToken};
use crate::auth::model::Role;
use crate::ui::{
    use_team_zone, ErrorPanel, FormAction, Guarded, Loading, PageHeader, ServerForm, TeamZone,
};
use leptos::prelude::*;

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Admin>
            <TokensView/>
        </Guarded>
    }
}

#[component]
fn TokensView() -> impl IntoView {
    let revoke = FormAction::<RevokeApiToken>::new();
    let tokens = crate::ui::wire::resource(move || revoke.version().get(), |_| list_api_tokens());
    view! {
        <PageHeader title="API tokens".into() lead="Tokens let scripts and release pipelines use the JSON API at /api/v1. Each acts with the role you give it.">
            <a class="button" href="/api/v1/docs" rel="external">"API reference"</a>
        </PageHeader>
        <CreateForm/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(list) => view! { <TokenTable tokens=list revoke/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A plain form: its answer is a page showing the new secret (see `tokens_new`).
#[component]
fn CreateForm() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="new-token-title">
            <h2 class="section-title" id="new-token-title">"New token"</h2>
            <form method="post" action="/api-tokens/new" class="stack">
                <div class="field-row">
                    <div class="field">
                        <label for="token-name">"Name"</label>
                        <p class="hint" id="token-name-hint">"What uses it, e.g. “release pipeline”."</p>
                        <input id="token-name" name="name" type="text" required=true aria-describedby="token-name-hint"/>
                    </div>
                    <div class="field">
                        <label for="token-role">"Role"</label>
                        <select id="token-role" name="role">
                            <option value="viewer">"Viewer: reads surveys and results"</option>
                            <option value="editor" selected=true>"Editor: also creates and sends surveys"</option>
                            <option value="admin">"Admin: everything"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="token-expiry">"Expires after (days)"</label>
                        <p class="hint" id="token-expiry-hint">"Empty: never."</p>
                        <input id="token-expiry" name="expires_in_days" type="text" inputmode="numeric" aria-describedby="token-expiry-hint"/>
                    </div>
                </div>
                <button type="submit" class="button primary">"Create token"</button>
            </form>
        </section>
    }
}

fn status(token: &ApiToken, zone: &TeamZone) -> String {
    match (token.revoked_at, token.expires_at) {
        (Some(at), _) => format!("Revoked {}", zone.date(at)),
        (None, Some(at)) => format!("Expires {}", zone.date(at)),
        (None, None) => "Active, no expiry".into(),
    }
}

#[component]
fn TokenTable(tokens: Vec<ApiToken>, revoke: FormAction<RevokeApiToken>) -> impl IntoView {
    if tokens.is_empty() {
        return view! { <p class="empty-inline">"No tokens yet."</p> }.into_any();
    }
    let count = tokens.len();
    let zone = use_team_zone();
    view! {
        <section class="card" aria-labelledby="tokens-title">
            <h2 class="section-title" id="tokens-title">{format!("Tokens ({count})")}</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Created"</th>
                        <th scope="col">"Status"</th><th scope="col">"Last used"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>
                        {tokens.into_iter().map(|t| {
                            let live = t.revoked_at.is_none();
                            let state = status(&t, &zone);
                            view! {
                                <tr>
                                    <td>{t.name.clone()}</td><td>{t.role.clone()}</td><td>{zone.date(t.created_at)}</td>
                                    <td>{state}</td>
                                    <td>{t.last_used_at.map(|at| zone.date(at)).unwrap_or_else(|| "Never".into())}</td>
                                    <td>{live.then(|| view! {
                                        <ServerForm action=revoke attr:class="inline-form">
                                            <input type="hidden" name="token_id" value=t.token_id.clone()/>
                                            <button type="submit" class="button small danger">"Revoke"</button>
                                        </ServerForm>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
