//! `/mailbox`: the development mailbox, where mail lands while no SMTP server is set up,
//! so a newcomer can walk the whole flow (send, open the link, answer, unsubscribe).
use crate::auth::model::Role;
use crate::distribution::mailbox::api::{get_mail, list_mail};
use crate::distribution::model::{MailSummary, MailView};
use crate::ui::{use_team_zone, EmptyState, ErrorPanel, Guarded, Loading, PageHeader};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

const LEAD: &str = "Development mode: no SMTP server is configured (SMTP_URL), so no email leaves \
                    this server. Every message lands here instead.";

#[component]
pub fn MailboxPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Editor>
            <MailboxView/>
        </Guarded>
    }
}

#[component]
fn MailboxView() -> impl IntoView {
    let mails = crate::ui::wire::resource(|| (), |_| list_mail());
    view! {
        <PageHeader title="Development mailbox".into() lead=LEAD/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match mails.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState title="No mail yet">
                            <p>"Send a survey's invitations and they appear here a moment later."</p>
                        </EmptyState>
                    }.into_any(),
                    Ok(list) => view! { <MailTable mails=list/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MailTable(mails: Vec<MailSummary>) -> impl IntoView {
    let zone = use_team_zone();
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">"Messages"</caption>
                <thead><tr><th scope="col">"To"</th><th scope="col">"Subject"</th><th scope="col">"Received"</th></tr></thead>
                <tbody>
                    {mails.into_iter().map(|m| view! {
                        <tr>
                            <td>{m.to_address}</td>
                            <td><a href=format!("/mailbox/{}", m.mail_id)>{m.subject}</a></td>
                            <td>{zone.time(m.created_at)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn MailPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Editor>
            <MailView/>
        </Guarded>
    }
}

#[component]
fn MailView() -> impl IntoView {
    let params = use_params_map();
    let mail =
        crate::ui::wire::resource(move || params.get().get("id").unwrap_or_default(), get_mail);
    view! {
        <p class="breadcrumb"><a href="/mailbox">"Development mailbox"</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match mail.await {
                    Ok(mail) => view! { <Message mail/> }.into_any(),
                    Err(crate::error::AppError::NotFound) => view! { <crate::app::NotFoundPage/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Message(mail: MailView) -> impl IntoView {
    let html = format!("/mailbox/{}/html", mail.summary.mail_id);
    view! {
        <PageHeader title=mail.summary.subject.clone() lead=format!("To {} · {}", mail.summary.to_address, use_team_zone().time(mail.summary.created_at))/>
        <section class="card" aria-labelledby="html-title">
            <h2 id="html-title">"As a mail client shows it"</h2>
            <iframe src=html title="The message's HTML version" class="mail-frame" sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>
        </section>
        <section class="card" aria-labelledby="text-title">
            <h2 id="text-title">"Plain-text version"</h2>
            <pre class="mail-text" data-testid="mail-text">{mail.text_body}</pre>
        </section>
        <details class="card settings">
            <summary><h2 class="section-title">"Headers"</h2></summary>
            <pre class="mail-text">{mail.headers}</pre>
        </details>
    }
}
