//! `/mail-delivery`: how this instance sends, whether its mail is signed, and the DNS
//! records that make Gmail, Yahoo and Outlook.com accept it.
use crate::auth::model::Role;
use crate::distribution::delivery::api::get_mail_setup;
use crate::distribution::delivery::model::{DnsRecord, MailSetup};
use crate::distribution::intake::model::IntakeStatus;
use crate::ui::{use_team_zone, ErrorPanel, Guarded, Loading, PageHeader};
use leptos::prelude::*;

const LEAD: &str = "Since 2024 the large mailbox providers junk or refuse bulk mail that is not \
                    DKIM-signed for the sender's own domain. These are the records your \
                    domain needs.";

#[component]
pub fn MailDeliveryPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Editor>
            <MailDeliveryView/>
        </Guarded>
    }
}

#[component]
fn MailDeliveryView() -> impl IntoView {
    let setup = crate::ui::wire::resource(|| (), |_| get_mail_setup());
    view! {
        <PageHeader title="Mail delivery".into() lead=LEAD/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match setup.await {
                    Ok(setup) => view! { <Setup setup/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Setup(setup: MailSetup) -> impl IntoView {
    let signing = match &setup.dkim_algorithm {
        Some(algorithm) => view! {
            <div class="notice notice-success" role="status">
                <p>{format!("Every message is DKIM-signed ({algorithm}). Publish the DKIM record below, then send yourself a test message and check that its headers say dkim=pass.")}</p>
            </div>
        }
        .into_any(),
        None => view! {
            <div class="notice notice-warning" role="status">
                <p>"Messages are not DKIM-signed. Create a key and point DKIM_PRIVATE_KEY_FILE at it:"</p>
                <pre class="mail-text">"openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out dkim.pem"</pre>
                <p>"Then restart Soundings: the DKIM record to publish appears below, and "<code>"soundings mail dkim-record"</code>" prints it."</p>
            </div>
        }
        .into_any(),
    };
    let domain = setup
        .from
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').to_string())
        .unwrap_or_default();
    let relay = match &setup.relay_host {
        Some(host) => format!("through {host}"),
        None => {
            "nowhere yet: no SMTP_URL is set, so mail stays in the development mailbox".to_string()
        }
    };
    view! {
        <section class="card" aria-labelledby="sender-title">
            <h2 id="sender-title">"Sender"</h2>
            <dl class="facts">
                <dt>"From"</dt><dd class="break">{setup.from.clone()}</dd>
                <dt>"Mail leaves"</dt><dd>{relay}</dd>
            </dl>
        </section>
        <section class="card" aria-labelledby="signing-title">
            <h2 id="signing-title">"Signing (DKIM)"</h2>
            {signing}
        </section>
        <Intake intake=setup.intake.clone() domain/>
        <section class="card" aria-labelledby="records-title">
            <h2 id="records-title">"DNS records"</h2>
            <p class="hint">"Each is a TXT record. Your DNS host may ask for the name without the domain at its end."</p>
            <div class="stack">
                {setup.records.into_iter().map(|record| view! { <Record record/> }).collect_view()}
            </div>
        </section>
    }
}

/// The bounce mailbox: how it is set up and what it brought so far.
#[component]
fn Intake(intake: IntakeStatus, domain: String) -> impl IntoView {
    let Some(address) = intake.bounce_address.clone() else {
        return view! {
            <section class="card" aria-labelledby="intake-title">
                <h2 id="intake-title">"Bounces and complaints"</h2>
                <p>"Only refusals at send time are seen now. Behind a relay, a dead address comes back later as a bounce message, and spam complaints arrive by mail."</p>
                <p>{format!("Set BOUNCE_ADDRESS to a mailbox of your own (e.g. bounces@{domain}) and BOUNCE_IMAP_URL to where Soundings can read it: it then suppresses dead addresses and unsubscribes whoever complains.")}</p>
            </section>
        }
        .into_any();
    };
    let (local, domain) = address.split_once('@').unwrap_or((address.as_str(), ""));
    let return_path = format!("{local}+<message id>@{domain}");
    view! {
        <section class="card" aria-labelledby="intake-title">
            <h2 id="intake-title">"Bounces and complaints"</h2>
            <dl class="facts">
                <dt>"Return path"</dt><dd><code class="secret">{return_path}</code></dd>
                <dt>"Mailbox read"</dt>
                <dd class="break">{intake.mailbox.clone().unwrap_or_else(|| "none: set BOUNCE_IMAP_URL so bounces are read".into())}</dd>
                {intake.mailbox.is_some().then(|| {
                    let zone = use_team_zone();
                    let last = match &intake.last_poll {
                        None => "not yet (this server has just started)".to_string(),
                        Some(poll) => match &poll.error {
                            None => format!("{}, fine", zone.time(poll.at)),
                            Some(why) => format!("{}, failed: {why}", zone.time(poll.at)),
                        },
                    };
                    let failed = intake.last_poll.as_ref().is_some_and(|p| p.error.is_some());
                    view! {
                        <dt>"Last read"</dt>
                        <dd class="break" class:field-error=failed data-testid="intake-last-poll">{last}</dd>
                    }
                })}
            </dl>
            {intake.mailbox.is_some().then(|| view! {
                <div class="table-wrap">
                    <table class="table">
                        <caption class="visually-hidden">"Messages read from the bounce mailbox"</caption>
                        <thead><tr><th scope="col">"Read so far"</th><th scope="col" class="num">"Messages"</th></tr></thead>
                        <tbody>
                            {intake.counts.iter().map(|(outcome, n)| view! {
                                <tr><td>{outcome.label()}</td><td class="num" data-testid=format!("intake-{}", outcome.as_str())>{*n}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <p class="hint">{format!("Read messages move to the folder {}; messages Soundings cannot read stay in {} for you.", intake.processed_folder, intake.unreadable_folder)}</p>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn Record(record: DnsRecord) -> impl IntoView {
    view! {
        <div>
            <h3>{record.purpose.clone()}</h3>
            <dl class="facts">
                <dt>"Name"</dt><dd><code class="secret">{record.name.clone()}</code></dd>
                <dt>"Value"</dt><dd><code class="secret" data-testid="record-value">{record.value.clone()}</code></dd>
            </dl>
            {(!record.note.is_empty()).then(|| view! { <p class="hint">{record.note.clone()}</p> })}
        </div>
    }
}
