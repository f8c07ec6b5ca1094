//! The pages a team member sees before signing in: first-run setup and sign-in.
use super::api::{SetUpFirstAdmin, SignIn};
use crate::ui::{FormAction, FormMessage, ServerForm, SessionResource, TextField};
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// A narrow, centred card for the forms that come before the app itself.
#[component]
fn AuthCard(title: &'static str, lead: &'static str, children: Children) -> impl IntoView {
    view! {
        <leptos_meta::Title text=title/>
        <div class="auth-card">
            <h1>{title}</h1>
            <p class="lead">{lead}</p>
            {children()}
        </div>
    }
}

/// Shown only while no account exists: creates the first admin.
#[component]
pub fn SetupPage() -> impl IntoView {
    let session = expect_context::<SessionResource>();
    let action = FormAction::<SetUpFirstAdmin>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Suspense fallback=crate::ui::Loading>
            {move || Suspend::new(async move {
                let needs_setup = session.await.map(|s| s.needs_setup).unwrap_or(false);
                if !needs_setup {
                    return view! { <Redirect path="/sign-in"/> }.into_any();
                }
                view! {
                    <AuthCard
                        title="Welcome to Soundings"
                        lead="Create the first admin account. You can invite the rest of your team afterwards."
                    >
                        <ServerForm action=action attr:class="stack">
                            <FormMessage error fields=&["email", "password", "confirm"]/>
                            <TextField label="Your work email" name="email" kind="email"
                                autocomplete="username" required=true error/>
                            <TextField label="Password" name="password" kind="password"
                                autocomplete="new-password" required=true error
                                hint="At least 12 characters. A short phrase is easy to remember."/>
                            <TextField label="Type the password again" name="confirm" kind="password"
                                autocomplete="new-password" required=true error/>
                            <button type="submit" class="button primary" disabled=move || action.pending().get()>
                                {move || if action.pending().get() { "Creating…" } else { "Create admin account" }}
                            </button>
                        </ServerForm>
                    </AuthCard>
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = expect_context::<SessionResource>();
    let action = FormAction::<SignIn>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Suspense fallback=crate::ui::Loading>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(s) if s.needs_setup => view! { <Redirect path="/setup"/> }.into_any(),
                    Ok(s) if s.user.is_some() => view! { <Redirect path="/surveys"/> }.into_any(),
                    other => {
                        let sso = other.as_ref().ok().and_then(|s| s.sso.clone());
                        let sso_only = other.as_ref().is_ok_and(|s| s.sso_only);
                        view! {
                        <AuthCard title="Sign in" lead="Sign in to build surveys and follow their results.">
                            {sso.map(|name| view! {
                                <a class="button primary sso-button" href="/sign-in/sso" rel="external">
                                    {format!("Sign in with {name}")}
                                </a>
                                <p class="auth-or">"or with your password"</p>
                            })}
                            {sso_only.then(|| view! {
                                <p class="hint">"Password sign-in is off here. The break-glass admin can still use it below."</p>
                            })}
                            <ServerForm action=action attr:class="stack">
                                <FormMessage error fields=&["email", "password"]/>
                                <TextField label="Email" name="email" kind="email"
                                    autocomplete="username" required=true error/>
                                <TextField label="Password" name="password" kind="password"
                                    autocomplete="current-password" required=true error/>
                                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                                </button>
                            </ServerForm>
                            <p class="auth-aside"><a href="/forgot-password" rel="external">"Forgot your password?"</a></p>
                        </AuthCard>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
