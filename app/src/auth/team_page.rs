//! The team page: who can sign in, with which role; admins add, re-role and remove.
use super::model::{Role, TeamMember};
use super::team_api::{list_team, AddTeamMember, ChangeRole, RemoveTeamMember};
use crate::error::AppError;
use crate::ui::{
    use_current_user, use_team_zone, ErrorPanel, FormAction, FormMessage, Guarded, PageHeader,
    ServerForm, TextField,
};
use leptos::prelude::*;

#[component]
pub fn TeamPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Admin>
            <TeamView/>
        </Guarded>
    }
}

#[component]
fn TeamView() -> impl IntoView {
    let add = FormAction::<AddTeamMember>::new();
    let change = FormAction::<ChangeRole>::new();
    let remove = FormAction::<RemoveTeamMember>::new();
    let team = crate::ui::wire::resource(
        move || {
            (
                add.version().get(),
                change.version().get(),
                remove.version().get(),
            )
        },
        |_| list_team(),
    );
    let row_error = Signal::derive(move || {
        change
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| remove.value().get().and_then(Result::err))
    });
    view! {
        <PageHeader title="Team".into() lead="Everyone who can sign in to Soundings, and what their role lets them do.">
            <a class="button" href="/api-tokens">"API tokens"</a>
            <a class="button" href="/webhooks">"Webhooks"</a>
            <a class="button" href="/mail-delivery">"Mail delivery"</a>
        </PageHeader>
        <FormMessage error=row_error fields=&[]/>
        <Transition fallback=crate::ui::Loading>
            {move || Suspend::new(async move {
                match team.await {
                    Ok(members) => view! { <MemberTable members change remove/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
        <AddMemberForm action=add/>
    }
}

#[component]
fn MemberTable(
    members: Vec<TeamMember>,
    change: FormAction<ChangeRole>,
    remove: FormAction<RemoveTeamMember>,
) -> impl IntoView {
    let me = use_current_user();
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">"Team members"</caption>
                <thead>
                    <tr><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Added"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr>
                </thead>
                <tbody>
                    {members
                        .into_iter()
                        .map(|member| {
                            let is_me = member.user_id == me.user_id;
                            view! { <MemberRow member is_me change remove/> }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn MemberRow(
    member: TeamMember,
    is_me: bool,
    change: FormAction<ChangeRole>,
    remove: FormAction<RemoveTeamMember>,
) -> impl IntoView {
    let select_id = format!("role-{}", member.user_id);
    let email = member.email.clone();
    let (role_user_id, remove_user_id) = (member.user_id.clone(), member.user_id.clone());
    let role_label = format!("Role of {}", member.email);
    let remove_label = format!(" {}", member.email);
    view! {
        <tr>
            <td>{email} {is_me.then(|| view! { <span class="badge">"you"</span> })}</td>
            <td>
                <ServerForm action=change attr:class="inline-form">
                    <input type="hidden" name="user_id" value=role_user_id.clone()/>
                    <label class="visually-hidden" for=select_id.clone()>{role_label}</label>
                    <select id=select_id name="role">
                        {Role::ALL
                            .into_iter()
                            .map(|role| view! {
                                <option value=role.as_str() selected=role == member.role>
                                    {format!("{} — {}", role.label(), role.description())}
                                </option>
                            })
                            .collect_view()}
                    </select>
                    <button type="submit" class="button small">"Save role"</button>
                </ServerForm>
            </td>
            <td>{use_team_zone().date(member.created_at)}</td>
            <td>
                {(!is_me).then(|| view! {
                    <ServerForm action=remove attr:class="inline-form">
                        <input type="hidden" name="user_id" value=remove_user_id.clone()/>
                        <button type="submit" class="button small danger">
                            "Remove" <span class="visually-hidden">{remove_label.clone()}</span>
                        </button>
                    </ServerForm>
                })}
            </td>
        </tr>
    }
}

#[component]
fn AddMemberForm(action: FormAction<AddTeamMember>) -> impl IntoView {
    let error: Signal<Option<AppError>> =
        Signal::derive(move || action.value().get().and_then(Result::err));
    let added = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="add-member-title">
            <h2 id="add-member-title">"Add a team member"</h2>
            <p class="hint">"Choose a first password and pass it on to them in person or by phone."</p>
            {move || added().then(|| view! { <div class="notice notice-success" role="status">"Added. They can sign in now."</div> })}
            <ServerForm action attr:class="stack">
                <FormMessage error fields=&["email", "password"]/>
                <TextField label="Email" name="email" kind="email" autocomplete="off" required=true error/>
                <div class="field">
                    <label for="new-member-role">"Role"</label>
                    <select id="new-member-role" name="role">
                        {Role::ALL
                            .into_iter()
                            .map(|role| view! {
                                <option value=role.as_str() selected=role == Role::Editor>
                                    {format!("{} — {}", role.label(), role.description())}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </div>
                <TextField label="First password" name="password" kind="password"
                    autocomplete="new-password" required=true error hint="At least 12 characters."/>
                <button type="submit" class="button primary">"Add member"</button>
            </ServerForm>
        </section>
    }
}
