use crate::auth::api::SessionInfo;
use crate::auth::model::{CurrentUser, Role};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// The session of the page being viewed, loaded once by `<App/>`.
pub type SessionResource = Resource<Result<SessionInfo, AppError>, crate::ui::wire::Wire>;

/// The signed-in member, inside a `<Guarded>` page.
pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

/// Shows its children only to a signed-in member whose role includes `role`; sends anyone
/// else to setup or sign-in, or tells them their role is not enough.
#[component]
pub fn Guarded(role: Role, children: ChildrenFn) -> impl IntoView {
    let session = expect_context::<SessionResource>();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=super::Loading>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(SessionInfo { needs_setup: true, .. }) => {
                        view! { <Redirect path="/setup"/> }.into_any()
                    }
                    Ok(SessionInfo { user: None, .. }) => {
                        view! { <Redirect path="/sign-in"/> }.into_any()
                    }
                    Ok(SessionInfo { user: Some(user), .. }) if !user.role.includes(role) => {
                        view! { <super::ErrorPanel error=AppError::Forbidden/> }.into_any()
                    }
                    Ok(SessionInfo { user: Some(user), zone, .. }) => {
                        provide_context(user);
                        provide_context(zone);
                        children.with_value(|c| c()).into_any()
                    }
                    Err(error) => view! { <super::ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
