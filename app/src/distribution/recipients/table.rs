//! The recipients table: a plain GET form to search and filter it, a link per status with
//! its count, fifty rows a page and a link to the next. It reads its state from the page's
//! address, so it works the same with and without JavaScript and a link can point at any
//! view of it.
use super::api::list_recipients;
use super::model::{RecipientPage, RecipientRow, RecipientStatus};
use crate::error::AppError;
use crate::ui::{count, format_count, format_date, ErrorPanel, Loading};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The table's page as the address asks for it; created with the page, outside any
/// suspense, so hydration finds it where the server left it. `refresh` changes when an
/// action may have changed who is on it.
pub type RecipientsResource = Resource<Result<RecipientPage, AppError>>;

const KEYS: [&str; 5] = ["search", "status", "community", "tier", "after"];

pub fn recipients_resource(
    survey_id: Signal<String>,
    refresh: Signal<usize>,
) -> RecipientsResource {
    let query = use_query_map();
    Resource::new(
        move || {
            let chosen = |key: &str| query.with(|q| q.get(key).unwrap_or_default());
            (survey_id.get(), KEYS.map(chosen), refresh.get())
        },
        |(id, [search, status, community, tier, after], _)| {
            list_recipients(
                id,
                Some(search),
                Some(status),
                Some(community),
                Some(tier),
                Some(after),
            )
        },
    )
}

#[component]
pub fn RecipientsTable(survey_id: String, recipients: RecipientsResource) -> impl IntoView {
    let query = use_query_map();
    let chosen = move || query.with_untracked(|q| KEYS.map(|k| q.get(k).unwrap_or_default()));
    view! {
        <section class="card" aria-labelledby="recipients-title" id="recipients">
            <h2 id="recipients-title">"Recipients"</h2>
            <Transition fallback=Loading>
                {move || {
                    let survey_id = survey_id.clone();
                    Suspend::new(async move {
                        let [search, status, community, tier, _] = chosen();
                        match recipients.await {
                            Ok(page) => view! {
                                <Narrowing page=page.clone() search status=status.clone() community tier/>
                                <StatusLinks survey_id=survey_id.clone() page=page.clone() status/>
                                <Rows survey_id page/>
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
fn Narrowing(
    page: RecipientPage,
    search: String,
    status: String,
    community: String,
    tier: String,
) -> impl IntoView {
    let option = |value: String, label: String, selected: &str| {
        let is = value == selected;
        view! { <option value=value selected=is>{label}</option> }
    };
    view! {
        {(!page.shows_who_answered).then(|| view! {
            <p class="hint">"Who opened or completed the survey is not shown here: the survey is anonymous, or your role sees how many answered, not who."</p>
        })}
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

/// The address of the table with one value changed (and the page reset to the first).
fn address(survey_id: &str, values: &[(&str, &str)]) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(values.iter().filter(|(_, v)| !v.is_empty()))
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
fn StatusLinks(survey_id: String, page: RecipientPage, status: String) -> impl IntoView {
    let query = use_query_map();
    let keep = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let (search, community, tier) = (keep("search"), keep("community"), keep("tier"));
    let all: i64 = page.counts.iter().map(|(_, n)| n).sum();
    let link = move |value: &str, label: String, n: i64| {
        let href = address(
            &survey_id,
            &[
                ("search", &search),
                ("status", value),
                ("community", &community),
                ("tier", &tier),
            ],
        );
        let current = (value == status).then_some("page");
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
fn Rows(survey_id: String, page: RecipientPage) -> impl IntoView {
    let query = use_query_map();
    let keep = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    if page.rows.is_empty() {
        let text = if page.total == 0 {
            "No one is invited yet."
        } else {
            "No recipient matches."
        };
        return view! { <p class="empty-inline">{text}</p> }.into_any();
    }
    let shown = page.rows.len() as i64;
    let first_page = keep("after").is_empty();
    let values = [
        ("search", keep("search")),
        ("status", keep("status")),
        ("community", keep("community")),
        ("tier", keep("tier")),
    ];
    let with = |extra: Option<(&'static str, String)>| {
        let mut list: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        if let Some((k, v)) = &extra {
            list.push((k, v.as_str()));
        }
        address(&survey_id, &list)
    };
    let next = page
        .next
        .clone()
        .map(|cursor| with(Some(("after", cursor))));
    let restart = (!first_page).then(|| with(None));
    let answered = page.shows_who_answered;
    view! {
        <p class="hint" aria-live="polite">{format!(
            "Showing {} of {} matching, by address.",
            format_count(shown),
            count(page.matching, "recipient", "recipients")
        )}</p>
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">"Recipients"</caption>
                <thead><tr>
                    <th scope="col">"Email"</th><th scope="col">"Name"</th><th scope="col">"Community"</th>
                    <th scope="col">"Invited"</th><th scope="col">"Status"</th>
                    {answered.then(|| view! { <th scope="col">"Completed"</th> })}
                </tr></thead>
                <tbody>
                    {page.rows.into_iter().map(|r| view! { <Row row=r answered/> }).collect_view()}
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

#[component]
fn Row(row: RecipientRow, answered: bool) -> impl IntoView {
    let (class, text) = match row.status {
        RecipientStatus::NotSent if row.queued => ("badge badge-draft", "Waiting to send"),
        RecipientStatus::NotSent => ("muted", "Not sent"),
        RecipientStatus::Bounced => ("badge badge-error", "Bounced"),
        RecipientStatus::Completed => ("badge badge-open", "Completed"),
        status => ("badge", status.label()),
    };
    view! {
        <tr>
            <td>{row.email}</td>
            <td>{row.name}</td>
            <td>{row.community.unwrap_or_default()}</td>
            <td>{format_date(row.invited_at)}</td>
            <td>
                <span class=class>{text}</span>
                {row.delivery_error.map(|reply| view! { <span class="hint delivery-reply">{reply}</span> })}
            </td>
            {answered.then(|| view! { <td>{row.completed_at.map(format_date).unwrap_or_default()}</td> })}
        </tr>
    }
}
