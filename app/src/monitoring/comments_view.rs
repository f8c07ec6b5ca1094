//! The results page's free-text answers, each with the score given alongside, and a
//! plain GET form to filter them (it works the same with and without JavaScript).
use super::comments::{get_comments, Comment, Comments};
use crate::ui::{ErrorPanel, Loading};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The comments as filtered by the page's query string; created with the page, outside
/// any suspense, so hydration finds it where the server left it.
pub type CommentsResource =
    Resource<Result<Comments, crate::error::AppError>, crate::ui::wire::Wire>;

pub fn comments_resource(survey_id: Signal<String>) -> CommentsResource {
    let query = use_query_map();
    crate::ui::wire::resource(
        move || {
            let chosen = |key: &str| query.with(|q| q.get(key).unwrap_or_default());
            (
                survey_id.get(),
                chosen("score"),
                chosen("community"),
                chosen("tier"),
            )
        },
        |(id, score, community, tier)| get_comments(id, Some(score), Some(community), Some(tier)),
    )
}

#[component]
pub fn CommentsSection(comments: CommentsResource, scale: Option<(i64, i64)>) -> impl IntoView {
    let query = use_query_map();
    let chosen = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    view! {
        <section class="card" aria-labelledby="comments-title">
            <h2 class="section-title" id="comments-title">"What people wrote"</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match comments.await {
                        Ok(comments) => view! {
                            <Filters comments=comments.clone() scale chosen=(chosen("score"), chosen("community"), chosen("tier"))/>
                            <CommentList items=comments.items/>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Filters(
    comments: Comments,
    scale: Option<(i64, i64)>,
    chosen: (String, String, String),
) -> impl IntoView {
    let (score, community, tier) = chosen;
    let scores: Vec<i64> = scale
        .map(|(low, high)| (low..=high).collect())
        .unwrap_or_default();
    let option = |value: String, label: String, selected: &str| {
        let is = value == selected;
        view! { <option value=value selected=is>{label}</option> }
    };
    view! {
        <form method="get" class="filters" aria-label="Filter the answers">
            <div class="field">
                <label for="filter-score">"Score given"</label>
                <select id="filter-score" name="score">
                    {option(String::new(), "Any".into(), &score)}
                    {scores.into_iter().map(|s| option(s.to_string(), s.to_string(), &score)).collect_view()}
                </select>
            </div>
            {(!comments.anonymous).then(|| view! {
                <div class="field">
                    <label for="filter-community">"Community"</label>
                    <select id="filter-community" name="community">
                        {option(String::new(), "Any".into(), &community)}
                        {comments.communities.into_iter().map(|(id, name)| option(id, name, &community)).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-tier">"Tier"</label>
                    <select id="filter-tier" name="tier">
                        {option(String::new(), "Any".into(), &tier)}
                        {comments.tiers.into_iter().map(|(id, name)| option(id, name, &tier)).collect_view()}
                    </select>
                </div>
            })}
            <button type="submit" class="button">"Filter"</button>
        </form>
        {comments.anonymous.then(|| view! {
            <p class="hint">"An anonymous survey keeps no community or tier with an answer."</p>
        })}
    }
}

#[component]
fn CommentList(items: Vec<Comment>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty-inline">"No written answers match."</p> }.into_any();
    }
    view! {
        <ul class="comments">
            {items.into_iter().map(|c| {
                let about = [c.community, c.tier].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                view! {
                    <li>
                        <p class="comment-text">{c.text}</p>
                        <p class="hint">
                            {c.score.map(|s| view! { <span class="badge">{format!("Score {s}")}</span>" " })}
                            {about}" · "{c.prompt}
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
