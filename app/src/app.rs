//! The document shell, the top bar and the routes of the team's pages.
use crate::auth::api::{get_session_info, SignOut};
use crate::auth::model::Role;
use crate::auth::pages::{SetupPage, SignInPage};
use crate::auth::TeamPage;
use crate::distribution::{ContactsPage, MailDeliveryPage, MailPage, MailboxPage};
use crate::surveys::model::Step;
use crate::surveys::{SurveyPage, SurveysPage};
use crate::ui::{FormAction, Loading, ServerForm, SessionResource};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

/// The HTML document around every team page; respondent pages use their own, script-free one.
/// (It takes the options because leptos_axum's not-found handler calls it with them.)
#[cfg(feature = "ssr")]
pub fn shell(_options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <crate::ui::BaseHead/>
                <link rel="stylesheet" id="leptos" href=crate::server::assets::stylesheet()/>
                <crate::server::hydration::HydrateAfterFirstPaint/>
                <leptos_meta::MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    allow_same_origin_referer();
    send_content_security_policy();
    let session: SessionResource = crate::ui::wire::resource(|| (), |_| get_session_info());
    provide_context(session);
    view! {
        <Title formatter=document_title/>
        <Router>
            <TopBar/>
            <main class="container" id="main">
                // Async rendering: each page is sent whole, so redirects keep their status
                // and a browser without JavaScript gets every piece of data.
                <Routes fallback=NotFoundPage>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("setup") view=SetupPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("sign-in") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("overview") view=crate::monitoring::OverviewPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("surveys") view=SurveysPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("surveys"), ParamSegment("id")) view=|| view! { <SurveyPage/> } ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("surveys"), ParamSegment("id"), StaticSegment("build")) view=|| view! { <SurveyPage step=Step::Build/> } ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("surveys"), ParamSegment("id"), StaticSegment("send")) view=|| view! { <SurveyPage step=Step::Send/> } ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("surveys"), ParamSegment("id"), StaticSegment("watch")) view=|| view! { <SurveyPage step=Step::Watch/> } ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("surveys"), ParamSegment("id"), StaticSegment("results")) view=crate::monitoring::ResultsPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("team") view=TeamPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("api-tokens") view=crate::api::ApiTokensPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("webhooks") view=crate::webhooks::WebhooksPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("webhooks"), ParamSegment("id")) view=crate::webhooks::WebhookPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("contacts") view=ContactsPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("communities") view=crate::community_health::CommunitiesPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("communities"), ParamSegment("id")) view=crate::community_health::CommunityPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("reports"), StaticSegment("quarterly")) view=crate::community_health::QuarterlyReportPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("mailbox") view=MailboxPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("mail-delivery") view=MailDeliveryPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("mailbox"), ParamSegment("id")) view=MailPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

/// The text of `<title>`. leptos_meta 0.8 writes it unescaped while rendering on the
/// server, so angle brackets in a survey title could close the element; they become
/// look-alike quotation marks, which is all a browser tab needs.
pub fn document_title(title: String) -> String {
    let safe: String = title
        .chars()
        .map(|c| match c {
            '<' => '‹',
            '>' => '›',
            c => c,
        })
        .collect();
    if safe.is_empty() {
        "Soundings".to_string()
    } else {
        format!("{safe} · Soundings")
    }
}

/// Team pages post forms to server functions; without JavaScript, Leptos sends the browser
/// back to the form through the `Referer`, so these pages allow it within this origin
/// (respondent pages keep `no-referrer`, since their address holds a personal token).
fn allow_same_origin_referer() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::header::REFERRER_POLICY,
            http::HeaderValue::from_static("same-origin"),
        );
    }
}

/// Scripts run only with this response's nonce (Leptos puts it on its hydration script);
/// WebAssembly needs `wasm-unsafe-eval` to compile.
fn send_content_security_policy() {
    #[cfg(feature = "ssr")]
    if let (Some(response), Some(nonce)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        leptos::nonce::use_nonce(),
    ) {
        let policy = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        );
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

#[component]
fn TopBar() -> impl IntoView {
    let session = expect_context::<SessionResource>();
    let sign_out = FormAction::<SignOut>::new();
    view! {
        <header class="topbar">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <a class="brand" href="/">"Soundings"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let info = session.await.ok();
                    let dev_mailbox = info.as_ref().is_some_and(|s| s.dev_mailbox);
                    info.and_then(|s| s.user).map(|user| view! {
                        <nav class="nav" aria-label="Main">
                            <A href="/overview">"Overview"</A>
                            <A href="/surveys">"Surveys"</A>
                            <A href="/communities">"Communities"</A>
                            <A href="/contacts">"Contacts"</A>
                            {(dev_mailbox && user.role.includes(Role::Editor)).then(|| view! { <A href="/mailbox">"Mailbox"<span class="badge badge-draft">"dev"</span></A> })}
                            {user.role.includes(Role::Admin).then(|| view! { <A href="/team">"Team"</A> })}
                        </nav>
                        <div class="account">
                            <a class="account-email" href="/account" rel="external" title=user.role.description()>{user.email.clone()}</a>
                            <ServerForm action=sign_out attr:class="inline-form">
                                <button type="submit" class="button small ghost">"Sign out"</button>
                            </ServerForm>
                        </div>
                    })
                })}
            </Suspense>
        </header>
    }
}

/// `/` sends each visitor where they belong: setup, sign-in or the overview.
#[component]
fn HomePage() -> impl IntoView {
    let session = expect_context::<SessionResource>();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let path = match session.await {
                    Ok(s) if s.needs_setup => "/setup",
                    Ok(s) if s.user.is_some() => "/overview",
                    _ => "/sign-in",
                };
                view! { <Redirect path/> }
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::document_title;

    #[test]
    fn a_title_cannot_close_the_title_element() {
        assert_eq!(
            document_title("</title><script>".into()),
            "‹/title›‹script› · Soundings"
        );
        assert_eq!(document_title(String::new()), "Soundings");
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found"/>
        <div class="empty-state">
            <h1>"We couldn't find that page"</h1>
            <p>"The address may be mistyped, or what it pointed to was removed."</p>
            <p><a class="button" href="/surveys">"Go to your surveys"</a></p>
        </div>
    }
}
