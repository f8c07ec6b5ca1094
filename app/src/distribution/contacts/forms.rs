//! The contacts page's editing forms for tiers and for an existing community.
use crate::distribution::contacts::tiers::{SaveTier, UpdateCommunity};
use crate::distribution::model::{Community, Tier};
use crate::error::AppError;
use crate::ui::{FormAction, FormMessage, ServerForm, TextField};
use leptos::prelude::*;

/// The tiers with how many communities each holds, and (for editors) adding or renaming.
#[component]
pub fn TiersSection(
    tiers: Vec<Tier>,
    communities: Vec<Community>,
    can_edit: bool,
    action: FormAction<SaveTier>,
) -> impl IntoView {
    let count = |tier_id: &str| communities.iter().filter(|c| c.tier_id == tier_id).count();
    let rows: Vec<(String, usize)> = tiers
        .iter()
        .map(|t| (t.name.clone(), count(&t.tier_id)))
        .collect();
    view! {
        <section class="card" aria-labelledby="tiers-title">
            <h2 id="tiers-title">{format!("Membership tiers ({})", tiers.len())}</h2>
            <p class="hint">"Results are broken down by tier, so name them as your members know them."</p>
            <ul class="tier-list">
                {rows.into_iter().map(|(name, n)| view! {
                    <li><span>{name}</span><span class="muted">{format!("{n} communit{}", if n == 1 { "y" } else { "ies" })}</span></li>
                }).collect_view()}
            </ul>
            {can_edit.then(|| view! { <TierForm tiers action/> })}
        </section>
    }
}

#[component]
fn TierForm(tiers: Vec<Tier>, action: FormAction<SaveTier>) -> impl IntoView {
    let error: Signal<Option<AppError>> =
        Signal::derive(move || action.value().get().and_then(Result::err));
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <ServerForm action attr:class="stack add-form">
            <h3>"Add or rename a tier"</h3>
            {move || saved().then(|| view! { <div class="notice notice-success" role="status">"Tier saved."</div> })}
            <FormMessage error fields=&["tier_name"]/>
            <div class="field-row">
                <div class="field">
                    <label for="tier-which">"Tier to change"</label>
                    <select id="tier-which" name="tier_id">
                        <option value="">"A new tier"</option>
                        {tiers.into_iter().map(|t| view! { <option value=t.tier_id>{format!("Rename “{}”", t.name)}</option> }).collect_view()}
                    </select>
                </div>
                <TextField label="Tier name" name="name" id="tier-name" error_key="tier_name" required=true error/>
            </div>
            <button type="submit" class="button">"Save tier"</button>
        </ServerForm>
    }
}

/// Renames a community or moves it to another tier.
#[component]
pub fn EditCommunityForm(
    tiers: Vec<Tier>,
    communities: Vec<Community>,
    action: FormAction<UpdateCommunity>,
) -> impl IntoView {
    let error: Signal<Option<AppError>> =
        Signal::derive(move || action.value().get().and_then(Result::err));
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <ServerForm action attr:class="stack add-form">
            <h3>"Change a community"</h3>
            {move || saved().then(|| view! { <div class="notice notice-success" role="status">"Community changed."</div> })}
            <FormMessage error fields=&["community_name", "community_tier", "community_time_zone"]/>
            <div class="field-row">
                <div class="field">
                    <label for="edit-community">"Community to change"</label>
                    <select id="edit-community" name="community_id">
                        {communities.into_iter().map(|c| view! { <option value=c.community_id>{c.name}</option> }).collect_view()}
                    </select>
                </div>
                <TextField label="New name" name="name" id="edit-community-name" error_key="community_name" required=true
                    hint="Type the current name to keep it." error/>
                <div class="field">
                    <label for="edit-community-tier">"New tier"</label>
                    <select id="edit-community-tier" name="tier_id">
                        {tiers.into_iter().map(|t| view! { <option value=t.tier_id>{t.name}</option> }).collect_view()}
                    </select>
                </div>
                <TextField label="Time zone" name="time_zone" id="edit-community-zone" error_key="community_time_zone"
                    hint="An IANA name such as Australia/Sydney; mail reaches its people in their working hours. Empty: the team's." error/>
            </div>
            <button type="submit" class="button">"Save community"</button>
        </ServerForm>
    }
}
