//! The recipients table: a plain GET form to search and filter it, a link per status with
//! its count, fifty rows a page and a link to the next. It reads its state from the page's
//! address, so it works the same with and without JavaScript and a link can point at any
//! view of it.
use super::api::list_recipients;
use super::model::{RecipientPage, RecipientQuery, RecipientRow, RecipientStatus};
use crate::error::AppError;
use crate::ui::{count, format_count, use_team_zone, ErrorPanel, Loading, TeamZone};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The table's page as the address asks for it; created with the page, outside any
/// suspense, so hydration finds it where the server left it. `refresh` changes when an
/// action may have changed who is on it.
pub type RecipientsResource = Resource<Result<RecipientPage, AppError>, crate::ui::wire::Wire>;

/// The table's state as the page's address holds it.
fn chosen(query: &leptos_router::params::ParamsMap) -> RecipientQuery {
    let value = |key: &str| query.get(key).unwrap_or_default();
    RecipientQuery {
        search: value("search"),
        status: value("status"),
        community: value("community"),
        tier: value("tier"),
        after: value("after"),
    }
}

pub fn recipients_resource(
    survey_id: Signal<String>,
    refresh: Signal<usize>,
) -> RecipientsResource {
    let query = use_query_map();
    crate::ui::wire::resource(
        move || (survey_id.get(), query.with(chosen), refresh.get()),
        |(id, q, _)| {
            list_recipients(
                id,
                Some(q.search),
                Some(q.status),
                Some(q.community),
                Some(q.tier),
                Some(q.after),
            )
        },
    )
}

#[component]
pub fn RecipientsTable(survey_id: String, recipients: RecipientsResource) -> impl IntoView {
    let query = use_query_map();
    view! {
        <section class="card" aria-labelledby="recipients-title" id="recipients">
            <h2 id="recipients-title">"Recipients"</h2>
            <Transition fallback=Loading>
                {move || {
                    let survey_id = survey_id.clone();
                    Suspend::new(async move {
                        let chosen = query.with_untracked(chosen);
                        match recipients.await {
                            Ok(page) => view! {
                                <Narrowing page=page.clone() chosen=chosen.clone()/>
                                <StatusLinks survey_id=survey_id.clone() page=page.clone() chosen=chosen.clone()/>
                                <Rows survey_id page chosen/>
                            }.into_any(),
                            Err(error) => view! {
                                <ErrorPanel error/>
                                <p><a href=format!("/surveys/{survey_id}/watch#recipients")>"Show everyone"</a></p>
                            }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

/// The search box and the community and tier filters, as one GET form.
#[component]
fn Narrowing(page: RecipientPage, chosen: RecipientQuery) -> impl IntoView {
    let RecipientQuery {
        search,
        status,
        community,
        tier,
        ..
    } = chosen;
    let option = |value: String, label: String, selected: &str| {
        let is = value == selected;
        view! { <option value=value selected=is>{label}</option> }
    };
    view! {
        {match (page.anonymous, page.shows_who_answered) {
            (true, _) => Some("This survey is anonymous: you see how many people answered, never who or when."),
            (false, false) => Some("Your role sees how many people answered, not who: editors follow up with people."),
            (false, true) => None,
        }.map(|why| view! { <p class="hint">{why}</p> })}
        <form method="get" class="filters" aria-label="Search and filter the recipients" action="#recipients">
            <div class="field">
                <label for="recipients-search">"Name or address"</label>
                <input id="recipients-search" type="search" name="search" value=search maxlength="100"/>
            </div>
            {(!page.communities.is_empty()).then(|| view! {
                <div class="field">
                    <label for="recipients-community">"Community"</label>
                    <select id="recipients-community" name="community">
                        {option(String::new(), "Any".into(), &community)}
                        {page.communities.into_iter().map(|(id, name)| option(id, name, &community)).collect_view()}
                    </select>
                </div>
            })}
            {(!page.tiers.is_empty()).then(|| view! {
                <div class="field">
                    <label for="recipients-tier">"Tier"</label>
                    <select id="recipients-tier" name="tier">
                        {option(String::new(), "Any".into(), &tier)}
                        {page.tiers.into_iter().map(|(id, name)| option(id, name, &tier)).collect_view()}
                    </select>
                </div>
            })}
            {(!status.is_empty()).then(|| view! { <input type="hidden" name="status" value=status/> })}
            <button type="submit" class="button">"Search"</button>
        </form>
    }
}

/// The address of the table in the state `q` (empty values left out).
fn address(survey_id: &str, q: &RecipientQuery) -> String {
    let values = [
        ("search", &q.search),
        ("status", &q.status),
        ("community", &q.community),
        ("tier", &q.tier),
        ("after", &q.after),
    ];
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(values.into_iter().filter(|(_, v)| !v.is_empty()))
        .finish();
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("/surveys/{survey_id}/watch{query}#recipients")
}

/// "All" and one link per status, each with its count under the search and filters.
#[component]
fn StatusLinks(survey_id: String, page: RecipientPage, chosen: RecipientQuery) -> impl IntoView {
    let all: i64 = page.counts.iter().map(|(_, n)| n).sum();
    // Another status starts again from the first page.
    let link = move |value: &str, label: String, n: i64| {
        let href = address(
            &survey_id,
            &RecipientQuery {
                status: value.to_string(),
                after: String::new(),
                ..chosen.clone()
            },
        );
        let current = (value == chosen.status).then_some("page");
        view! {
            <li><a href=href aria-current=current>{label}" "<span class="count">{format_count(n)}</span></a></li>
        }
    };
    view! {
        <nav aria-label="Recipients by status">
            <ul class="status-links">
                {link("", "All".into(), all)}
                {page.counts.into_iter().map(|(s, n)| link(s.as_str(), s.label().into(), n)).collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn Rows(survey_id: String, page: RecipientPage, chosen: RecipientQuery) -> impl IntoView {
    if page.rows.is_empty() {
        let text = if page.total == 0 {
            "No one is invited yet."
        } else {
            "No recipient matches."
        };
        return view! { <p class="empty-inline">{text}</p> }.into_any();
    }
    let shown = page.rows.len() as i64;
    let from = |after: String| {
        address(
            &survey_id,
            &RecipientQuery {
                after,
                ..chosen.clone()
            },
        )
    };
    let next = page.next.clone().map(from);
    let restart = (!chosen.after.is_empty()).then(|| from(String::new()));
    let answered = page.shows_who_answered;
    let zone = use_team_zone();
    view! {
        <p class="hint" aria-live="polite">{format!(
            "Showing {} of {} matching, by address.",
            format_count(shown),
            count(page.matching, "recipient", "recipients")
        )}</p>
        <div class="table-wrap">
            <table class="table table-stack">
                <caption class="visually-hidden">"Recipients"</caption>
                <thead><tr>
                    <th scope="col">"Email"</th><th scope="col">"Name"</th><th scope="col">"Community"</th>
                    <th scope="col">"Invited"</th><th scope="col">"Status"</th>
                    {answered.then(|| view! { <th scope="col">"Completed"</th> })}
                </tr></thead>
                <tbody>
                    {page.rows.into_iter().map(|r| row_view(r, answered, &zone)).collect_view()}
                </tbody>
            </table>
        </div>
        {(next.is_some() || restart.is_some()).then(|| view! {
            <nav class="pager" aria-label="Pages of recipients">
                {restart.map(|href| view! { <a class="button" href=href>"First page"</a> })}
                {next.map(|href| view! { <a class="button" href=href rel="next">"Next 50"</a> })}
            </nav>
        })}
    }
    .into_any()
}

/// One recipient; the page's time zone is read once for all of them.
fn row_view(row: RecipientRow, answered: bool, zone: &TeamZone) -> impl IntoView {
    let (class, text) = match row.status {
        RecipientStatus::NotSent if row.queued => ("badge badge-draft", "Waiting to send"),
        RecipientStatus::NotSent => ("muted", "Not sent"),
        RecipientStatus::Bounced => ("badge badge-error", "Bounced"),
        RecipientStatus::Completed => ("badge badge-open", "Completed"),
        status => ("badge", status.label()),
    };
    let community_label = row.community.as_ref().map(|_| "Community");
    view! {
        <tr>
            <td class="stack-head">{row.email}</td>
            <td data-label="Name">{row.name}</td>
            <td data-label=community_label>{row.community.unwrap_or_default()}</td>
            <td data-label="Invited">{zone.date(row.invited_at)}</td>
            <td data-label="Status">
                <span class=class>{text}</span>
                {row.delivery_error.map(|reply| view! { <span class="hint delivery-reply">{reply}</span> })}
            </td>
            {answered.then(|| view! {
                // Labelled only when it holds a date: a phone's card shows no empty line.
                <td data-label=row.completed_at.map(|_| "Completed")>
                    {row.completed_at.map(|at| zone.date(at)).unwrap_or_default()}
                </td>
            })}
        </tr>
    }
}
