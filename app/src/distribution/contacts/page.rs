//! `/contacts`: the communities (member organisations, each on a tier) and their contacts.
use crate::auth::model::Role;
use crate::distribution::contacts::api::{
    get_audience, CreateCommunity, EraseContact, MarkDeliverable, SaveContact,
};
use crate::distribution::contacts::forms::{EditCommunityForm, TiersSection};
use crate::distribution::contacts::tiers::{SaveTier, UpdateCommunity};
use crate::distribution::model::{Audience, Community, Contact, Tier, CONTACTS_SHOWN};
use crate::error::AppError;
use crate::ui::{
    use_current_user, EmptyState, ErrorPanel, FormAction, FormMessage, Guarded, Loading,
    PageHeader, ServerForm, TextField,
};
use leptos::prelude::*;

#[component]
pub fn ContactsPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Viewer>
            <ContactsView/>
        </Guarded>
    }
}

#[component]
fn ContactsView() -> impl IntoView {
    let create_community = FormAction::<CreateCommunity>::new();
    let save_contact = FormAction::<SaveContact>::new();
    let erase = FormAction::<EraseContact>::new();
    let deliverable = FormAction::<MarkDeliverable>::new();
    let edits = Edits {
        tier: FormAction::<SaveTier>::new(),
        community: FormAction::<UpdateCommunity>::new(),
    };
    let audience = crate::ui::wire::resource(
        move || {
            (
                create_community.version().get(),
                save_contact.version().get(),
                erase.version().get() + deliverable.version().get(),
                edits.tier.version().get(),
                edits.community.version().get(),
            )
        },
        |_| get_audience(),
    );
    let can_edit = use_current_user().role.includes(Role::Editor);
    view! {
        <PageHeader title="Contacts".into() lead="The member organisations you survey, their membership tiers, and the people you invite.">
            {can_edit.then(|| view! { <a class="button primary" href="/contacts/import" rel="external">"Import a CSV file"</a> })}
        </PageHeader>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match audience.await {
                    Ok(audience) => view! {
                        <UndeliverableSection contacts=audience.undeliverable.clone() can_edit action=deliverable/>
                        <AudienceView audience can_edit create_community save_contact edits/>
                        {can_edit.then(|| view! { <EraseForm action=erase/> })}
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The actions that change tiers and existing communities.
#[derive(Clone, Copy)]
struct Edits {
    tier: FormAction<SaveTier>,
    community: FormAction<UpdateCommunity>,
}

#[component]
fn AudienceView(
    audience: Audience,
    can_edit: bool,
    create_community: FormAction<CreateCommunity>,
    save_contact: FormAction<SaveContact>,
    edits: Edits,
) -> impl IntoView {
    let Audience {
        tiers,
        communities,
        contacts,
        total_contacts,
        ..
    } = audience;
    let names: Vec<String> = communities.iter().map(|c| c.name.clone()).collect();
    view! {
        <section class="card" aria-labelledby="communities-title">
            <h2 id="communities-title">{format!("Communities ({})", communities.len())}</h2>
            {if communities.is_empty() {
                view! { <p class="empty-inline">"No communities yet. Add the organisations you survey, each with its membership tier."</p> }.into_any()
            } else {
                view! { <CommunityTable communities=communities.clone()/> }.into_any()
            }}
            {can_edit.then(|| view! { <CommunityForm tiers=tiers.clone() action=create_community/> })}
            {(can_edit && !communities.is_empty()).then(|| view! {
                <EditCommunityForm tiers=tiers.clone() communities=communities.clone() action=edits.community/>
            })}
        </section>
        <TiersSection tiers communities can_edit action=edits.tier/>
        <section class="card" aria-labelledby="contacts-title">
            <h2 id="contacts-title">{format!("People ({total_contacts})")}</h2>
            {(total_contacts > CONTACTS_SHOWN).then(|| view! {
                <p class="hint">{format!("Showing the first {CONTACTS_SHOWN} by name.")}</p>
            })}
            {if contacts.is_empty() {
                view! {
                    <EmptyState title="No contacts yet">
                        <p>"Import a CSV file with the columns email, name, community (and optionally role, tags, tier and time_zone: with a tier, the communities are created for you), or add people one at a time."</p>
                    </EmptyState>
                }.into_any()
            } else {
                view! { <ContactTable contacts/> }.into_any()
            }}
            {(can_edit && !names.is_empty()).then(|| view! { <ContactForm communities=names action=save_contact/> })}
        </section>
    }
}

/// Addresses that bounced for good: left out of every selection until an editor says
/// the address works again.
#[component]
fn UndeliverableSection(
    contacts: Vec<Contact>,
    can_edit: bool,
    action: FormAction<MarkDeliverable>,
) -> impl IntoView {
    let error: Signal<Option<AppError>> =
        Signal::derive(move || action.value().get().and_then(Result::err));
    (!contacts.is_empty()).then(|| view! {
        <section class="card" aria-labelledby="undeliverable-title">
            <h2 id="undeliverable-title">{format!("Undeliverable addresses ({})", contacts.len())}</h2>
            <p class="hint">"Their mail server refused a message for good (a hard bounce), so no survey goes to them. Mark an address deliverable again once it works; a new address is a new contact."</p>
            <FormMessage error fields=&["email"]/>
            <ul class="plain-list undeliverable-list">
                {contacts.into_iter().map(|c| {
                    let email = c.email.clone();
                    view! {
                        <li>
                            <strong>{c.email.clone()}</strong>
                            <span class="hint">" · "{c.community.unwrap_or_default()}" · "{c.undeliverable.unwrap_or_default()}</span>
                            {can_edit.then(|| view! {
                                <ServerForm action attr:class="inline-form">
                                    <input type="hidden" name="email" value=email/>
                                    <button type="submit" class="button small">"Mark deliverable"</button>
                                </ServerForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    })
}

#[component]
fn CommunityTable(communities: Vec<Community>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">"Communities"</caption>
                <thead><tr><th scope="col">"Community"</th><th scope="col">"Tier"</th><th scope="col">"Time zone"</th><th scope="col" class="num">"Contacts"</th></tr></thead>
                <tbody>
                    {communities.into_iter().map(|c| view! {
                        <tr><td>{c.name}</td><td>{c.tier}</td>
                            <td>{if c.time_zone.is_empty() { "team's".to_string() } else { c.time_zone }}</td>
                            <td class="num">{c.contacts}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ContactTable(contacts: Vec<Contact>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">"People"</caption>
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Community"</th>
                    <th scope="col">"Role"</th><th scope="col">"Tags"</th><th scope="col">"Language"</th>
                </tr></thead>
                <tbody>
                    {contacts.into_iter().map(|c| view! {
                        <tr>
                            <td>{c.name}{c.unsubscribed.then(|| view! { " "<span class="badge">"Unsubscribed"</span> })}
                                {c.undeliverable.is_some().then(|| view! { " "<span class="badge badge-danger">"Undeliverable"</span> })}</td>
                            <td>{c.email}</td>
                            <td>{c.community.unwrap_or_default()}</td>
                            <td>{c.role}</td>
                            <td>{c.tags.join(", ")}</td>
                            <td>{c.language.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn CommunityForm(tiers: Vec<Tier>, action: FormAction<CreateCommunity>) -> impl IntoView {
    let error: Signal<Option<AppError>> =
        Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <ServerForm action attr:class="stack add-form">
            <h3>"Add a community"</h3>
            <FormMessage error fields=&["name", "tier_id"]/>
            <div class="field-row">
                <TextField label="Name" name="name" id="community-name" required=true error/>
                <div class="field">
                    <label for="community-tier">"Tier"</label>
                    <select id="community-tier" name="tier_id">
                        {tiers.into_iter().map(|t| view! { <option value=t.tier_id>{t.name}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <button type="submit" class="button">"Add community"</button>
        </ServerForm>
    }
}

#[component]
fn ContactForm(communities: Vec<String>, action: FormAction<SaveContact>) -> impl IntoView {
    let error: Signal<Option<AppError>> =
        Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <ServerForm action attr:class="stack add-form">
            <h3>"Add or update a person"</h3>
            <FormMessage error fields=&[]/>
            <div class="field-row">
                <TextField label="Email" name="email" id="contact-email" kind="email" required=true error/>
                <TextField label="Name" name="name" id="contact-name" required=true error/>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="contact-community">"Community"</label>
                    <select id="contact-community" name="community">
                        {communities.into_iter().map(|c| { let label = c.clone(); view! { <option value=c>{label}</option> } }).collect_view()}
                    </select>
                </div>
                <TextField label="Role (optional)" name="role" id="contact-role" error/>
                <TextField label="Tags (optional)" name="tags" id="contact-tags" hint="Separated by ; e.g. admin; beta" error/>
                <TextField label="Language (optional)" name="language" id="contact-language" hint="A code such as de or fr: their survey pages and emails use it when a survey offers it." error/>
            </div>
            <button type="submit" class="button">"Save person"</button>
        </ServerForm>
    }
}

#[component]
fn EraseForm(action: FormAction<EraseContact>) -> impl IntoView {
    let error: Signal<Option<AppError>> =
        Signal::derive(move || action.value().get().and_then(Result::err));
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="erase-title">
            <h2 id="erase-title">"Erase a person"</h2>
            <p class="hint">"For a request under data-protection law: their address, name, role, tags, links and waiting mail are removed for good, and their written answers blanked. Their scores stay in the results, tied to no one."</p>
            {move || done().then(|| view! { <div class="notice notice-success" role="status">"Erased."</div> })}
            <ServerForm action attr:class="stack">
                <FormMessage error fields=&["erase_email", "erase_confirm"]/>
                <TextField label="Their email address" name="email" id="erase-email" error_key="erase_email" kind="email" error/>
                <label class="inline-choice"><input type="checkbox" name="confirm" value="on"/>" I understand this can't be undone"</label>
                {move || error.get().and_then(|e| e.message_for("erase_confirm")).map(|m| view! { <p class="field-error">{m}</p> })}
                <button type="submit" class="button danger">"Erase this person"</button>
            </ServerForm>
        </section>
        <section class="card" aria-labelledby="access-title">
            <h2 id="access-title">"What we store about a person"</h2>
            <p class="hint">"For an access request: one JSON file with their contact details, tags, invitations, answers in identified surveys and the mail sent to them."</p>
            <form method="get" action="/contacts/access.json" class="stack">
                <div class="field">
                    <label for="access-email">"Their email address"</label>
                    <input id="access-email" name="email" type="email" required/>
                </div>
                <button type="submit" class="button">"Download their data"</button>
            </form>
        </section>
    }
}
