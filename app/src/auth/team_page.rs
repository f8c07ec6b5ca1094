//! The team page: who can sign in, with which role; admins add, re-role and remove.
use super::model::{Role, TeamMember};
use super::team_api::{list_team, ChangeRole, InviteTeamMember, RemoveTeamMember};
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
    let add = FormAction::<InviteTeamMember>::new();
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
            <a class="button" href="/audit" rel="external">"Audit log"</a>
        </PageHeader>
        <FormMessage error=row_error fields=&[]/>
        <Transition fallback=crate::ui::Loading>
            {move || Suspend::new(async move {
                match team.await {
                    Ok(members) => view! { <MemberTable members change remove invite=add/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
        <InviteForm action=add/>
    }
}

#[component]
fn MemberTable(
    members: Vec<TeamMember>,
    change: FormAction<ChangeRole>,
    remove: FormAction<RemoveTeamMember>,
    invite: FormAction<InviteTeamMember>,
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
                            view! { <MemberRow member is_me change remove invite/> }
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
    invite: FormAction<InviteTeamMember>,
) -> impl IntoView {
    let zone = use_team_zone();
    let standing = member.invitation.clone().map(|invitation| {
        let (email, role) = (member.email.clone(), member.role.as_str());
        let text = if invitation.expired {
            "The invitation expired.".to_string()
        } else {
            format!(
                "Invitation link works until {}.",
                zone.date(invitation.until)
            )
        };
        let again = format!(" to {}", member.email);
        let badge = if invitation.expired {
            "expired"
        } else {
            "invited"
        };
        (
            view! { <span class="badge badge-draft">{badge}</span> },
            view! {
                <div class="member-standing">
                    <span class="hint">{text}</span>
                    <ServerForm action=invite attr:class="inline-form">
                        <input type="hidden" name="email" value=email/>
                        <input type="hidden" name="role" value=role/>
                        <button type="submit" class="button small">
                            "Send again" <span class="visually-hidden">{again}</span>
                        </button>
                    </ServerForm>
                </div>
            },
        )
    });
    let (badge, standing) = standing.unzip();
    let select_id = format!("role-{}", member.user_id);
    let email = member.email.clone();
    let (role_user_id, remove_user_id) = (member.user_id.clone(), member.user_id.clone());
    let role_label = format!("Role of {}", member.email);
    let remove_label = format!(" {}", member.email);
    view! {
        <tr>
            <td>{email} {is_me.then(|| view! { <span class="badge">"you"</span> })} {badge} {standing}</td>
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
            <td class="nowrap">{zone.date(member.created_at)}</td>
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
fn InviteForm(action: FormAction<InviteTeamMember>) -> impl IntoView {
    let error: Signal<Option<AppError>> =
        Signal::derive(move || action.value().get().and_then(Result::err));
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="invite-title">
            <h2 id="invite-title">"Invite a team member"</h2>
            <p class="hint">"They get an email with a link to choose their own password. The link works once, for 7 days."</p>
            {move || sent().then(|| view! { <div class="notice notice-success" role="status">"Invitation sent. They appear below as invited until they choose a password."</div> })}
            <ServerForm action attr:class="stack">
                <FormMessage error fields=&["email"]/>
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
                <button type="submit" class="button primary">"Send invitation"</button>
            </ServerForm>
        </section>
    }
}
