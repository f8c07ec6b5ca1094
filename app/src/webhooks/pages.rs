//! `/webhooks` and `/webhooks/{id}`: admins register endpoints, see their signing secret,
//! send a test delivery, pause, delete, and read the delivery log.
use super::api::{
    get_webhook, list_webhooks, CreateWebhook, DeleteWebhook, RetryWebhookDelivery,
    SendTestWebhook, SetWebhookActive,
};
use super::model::{Delivery, Webhook, WebhookDetail, EVENTS};
use crate::auth::model::Role;
use crate::ui::{
    use_team_zone, EmptyState, ErrorPanel, FormAction, FormMessage, Guarded, Loading, PageHeader,
    ServerForm, TeamZone, TextField,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

const LEAD: &str = "Webhooks post an event to another tool (a CRM, a chat channel, a spreadsheet) \
                    when something happens here. Each delivery is signed, and retried for about \
                    four hours if the endpoint fails.";

#[component]
pub fn WebhooksPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Admin>
            <WebhooksView/>
        </Guarded>
    }
}

#[component]
fn WebhooksView() -> impl IntoView {
    let create = FormAction::<CreateWebhook>::new();
    let hooks = crate::ui::wire::resource(|| (), |_| list_webhooks());
    view! {
        <PageHeader title="Webhooks".into() lead=LEAD>
            <a class="button" href="/api/v1/docs" rel="external">"API reference"</a>
        </PageHeader>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match hooks.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState title="No endpoints yet">
                            <p>"Register an endpoint below and choose the events it should receive."</p>
                        </EmptyState>
                    }.into_any(),
                    Ok(list) => view! { <WebhookTable hooks=list/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
        <CreateForm action=create/>
    }
}

#[component]
fn WebhookTable(hooks: Vec<Webhook>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="hooks-title">
            <h2 class="section-title" id="hooks-title">{format!("Endpoints ({})", hooks.len())}</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Address"</th><th scope="col">"Events"</th>
                        <th scope="col">"Status"</th><th scope="col">"Waiting"</th><th scope="col">"Failed"</th>
                    </tr></thead>
                    <tbody>
                        {hooks.into_iter().map(|h| view! {
                            <tr>
                                <td><a href=format!("/webhooks/{}", h.webhook_id)>{h.name.clone()}</a></td>
                                <td class="break">{h.url.clone()}</td>
                                <td>{h.events.join(", ")}</td>
                                <td>{if h.active { "Active" } else { "Paused" }}</td>
                                <td class="num">{h.pending}</td>
                                <td class="num">{h.failed}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn CreateForm(action: FormAction<CreateWebhook>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let events_error = move || error.get().and_then(|e| e.message_for("webhook_events"));
    view! {
        <section class="card" aria-labelledby="new-hook-title">
            <h2 class="section-title" id="new-hook-title">"New endpoint"</h2>
            <ServerForm action attr:class="stack form-narrow">
                <FormMessage error fields=&["webhook_name", "webhook_url", "webhook_events"]/>
                <TextField label="Name" name="name" error_key="webhook_name" hint="What receives it, e.g. “CRM”." required=true error/>
                <TextField label="Address" name="url" kind="url" error_key="webhook_url"
                    hint="https://… Loopback, private and link-local addresses are refused unless allowed below." required=true error/>
                <fieldset class="field" aria-describedby="hook-events-error">
                    <legend>"Events"</legend>
                    {EVENTS.iter().map(|(event, meaning)| view! {
                        <label class="inline-choice">
                            <input type="checkbox" name=event.replace('.', "_") value="on" checked=true/>
                            <span><code>{*event}</code>{format!(": {meaning}")}</span>
                        </label>
                    }).collect_view()}
                    {move || events_error().map(|m| view! { <p class="field-error" id="hook-events-error">{m}</p> })}
                </fieldset>
                <label class="inline-choice">
                    <input type="checkbox" name="allow_private" value="on"/>
                    " Allow private network addresses (an internal service; plain http:// is then accepted too)"
                </label>
                <button type="submit" class="button primary">"Register endpoint"</button>
            </ServerForm>
        </section>
    }
}

#[component]
pub fn WebhookPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Admin>
            <WebhookView/>
        </Guarded>
    }
}

#[component]
fn WebhookView() -> impl IntoView {
    let params = use_params_map();
    let test = FormAction::<SendTestWebhook>::new();
    let toggle = FormAction::<SetWebhookActive>::new();
    let delete = FormAction::<DeleteWebhook>::new();
    let retry = FormAction::<RetryWebhookDelivery>::new();
    let detail = crate::ui::wire::resource(
        move || {
            let versions = (
                test.version().get(),
                toggle.version().get(),
                retry.version().get(),
            );
            (params.get().get("id").unwrap_or_default(), versions)
        },
        |(id, _)| get_webhook(id),
    );
    let actions = Actions {
        test,
        toggle,
        delete,
        retry,
    };
    view! {
        <p class="breadcrumb"><a href="/webhooks">"Webhooks"</a></p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <Detail detail actions/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    test: FormAction<SendTestWebhook>,
    toggle: FormAction<SetWebhookActive>,
    delete: FormAction<DeleteWebhook>,
    retry: FormAction<RetryWebhookDelivery>,
}

#[component]
fn Detail(detail: WebhookDetail, actions: Actions) -> impl IntoView {
    let WebhookDetail {
        webhook,
        secret,
        deliveries,
    } = detail;
    let id = webhook.webhook_id.clone();
    let lead = format!("Posts to {}", webhook.url);
    let (title, for_actions) = (webhook.name.clone(), webhook.clone());
    view! {
        <PageHeader title lead>
            <HookActions webhook=for_actions actions/>
        </PageHeader>
        <section class="card" aria-labelledby="hook-settings-title">
            <h2 class="section-title" id="hook-settings-title">"Settings"</h2>
            <dl class="facts">
                <dt>"Events"</dt><dd>{webhook.events.join(", ")}</dd>
                <dt>"Status"</dt><dd>{if webhook.active { "Active" } else { "Paused: deliveries wait until you resume" }}</dd>
                <dt>"Private addresses"</dt><dd>{if webhook.allow_private { "Allowed" } else { "Refused" }}</dd>
                <dt>"Registered"</dt><dd>{use_team_zone().date(webhook.created_at)}</dd>
            </dl>
        </section>
        <Signing secret/>
        <DeliveryLog deliveries webhook_id=id retry=actions.retry/>
    }
}

#[component]
fn HookActions(webhook: Webhook, actions: Actions) -> impl IntoView {
    let (id_test, id_toggle, id_delete) = (
        webhook.webhook_id.clone(),
        webhook.webhook_id.clone(),
        webhook.webhook_id.clone(),
    );
    let next = if webhook.active { "false" } else { "true" };
    let toggle_label = if webhook.active { "Pause" } else { "Resume" };
    view! {
        <ServerForm action=actions.test attr:class="inline-form">
            <input type="hidden" name="webhook_id" value=id_test/>
            <button type="submit" class="button">"Send a test delivery"</button>
        </ServerForm>
        <ServerForm action=actions.toggle attr:class="inline-form">
            <input type="hidden" name="webhook_id" value=id_toggle/>
            <input type="hidden" name="active" value=next/>
            <button type="submit" class="button">{toggle_label}</button>
        </ServerForm>
        <ServerForm action=actions.delete attr:class="inline-form">
            <input type="hidden" name="webhook_id" value=id_delete/>
            <button type="submit" class="button danger">"Delete"</button>
        </ServerForm>
    }
}

#[component]
fn Signing(secret: String) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="hook-signing-title">
            <h2 class="section-title" id="hook-signing-title">"Checking a delivery"</h2>
            <p>"Each delivery is a JSON POST with the headers "<code>"Soundings-Event"</code>", "
               <code>"Soundings-Delivery"</code>" (the same on every retry, to recognise repeats) and "
               <code>"Soundings-Signature: t=…,v1=…"</code>". Compute HMAC-SHA256 with this secret over "
               <code>"t"</code>", a full stop and the raw body, compare it in constant time with "<code>"v1"</code>
               ", and refuse a "<code>"t"</code>" more than five minutes old."</p>
            <details>
                <summary>"Show the signing secret"</summary>
                <p><code class="secret">{secret}</code></p>
            </details>
        </section>
    }
}

fn outcome(delivery: &Delivery) -> String {
    let code = delivery.response_status.map(|c| format!("HTTP {c}"));
    match (delivery.status.as_str(), code, &delivery.last_error) {
        ("delivered", Some(code), _) => code,
        (_, _, Some(error)) => error.clone(),
        (_, Some(code), None) => code,
        _ => String::new(),
    }
}

fn status_text(delivery: &Delivery, zone: &TeamZone) -> String {
    match delivery.status.as_str() {
        "queued" if delivery.attempts > 0 => {
            format!("Retry at {}", zone.time(delivery.next_attempt_at))
        }
        "queued" => "Waiting".into(),
        "sending" => "Sending".into(),
        "delivered" => "Delivered".into(),
        _ => "Failed".into(),
    }
}

#[component]
fn DeliveryLog(
    deliveries: Vec<Delivery>,
    webhook_id: String,
    retry: FormAction<RetryWebhookDelivery>,
) -> impl IntoView {
    if deliveries.is_empty() {
        return view! {
            <section class="card"><h2 class="section-title">"Deliveries"</h2>
                <p class="empty-inline">"None yet. “Send a test delivery” posts a ping event now."</p>
            </section>
        }.into_any();
    }
    let zone = use_team_zone();
    view! {
        <section class="card" aria-labelledby="hook-log-title">
            <h2 class="section-title" id="hook-log-title">{format!("Latest deliveries ({})", deliveries.len())}</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr>
                        <th scope="col">"Event"</th><th scope="col">"Created"</th><th scope="col">"Status"</th>
                        <th scope="col">"Attempts"</th><th scope="col">"Last answer"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>
                        {deliveries.into_iter().map(|d| {
                            let failed = d.status == "failed";
                            let webhook_id = webhook_id.clone();
                            view! {
                                <tr>
                                    <td><code>{d.event.clone()}</code></td><td>{zone.time(d.created_at)}</td>
                                    <td>{status_text(&d, &zone)}</td><td class="num">{d.attempts}</td><td class="break">{outcome(&d)}</td>
                                    <td>{failed.then(|| view! {
                                        <ServerForm action=retry attr:class="inline-form">
                                            <input type="hidden" name="webhook_id" value=webhook_id/>
                                            <input type="hidden" name="delivery_id" value=d.delivery_id.clone()/>
                                            <button type="submit" class="button small">"Retry"</button>
                                        </ServerForm>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }.into_any()
}
