//! The survey page's live counts: while invitations go out the page asks for the funnel
//! every 2 seconds, otherwise every 20 while the survey is open (opens and answers keep
//! arriving). Without JavaScript a reload shows the same numbers.
use crate::distribution::model::Funnel;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{auth::model::Role, ids::SurveyId, server::guard, surveys::db as survey_db};

#[server(prefix = "/fn", endpoint = "get_funnel", output = crate::ui::wire::Postcard)]
pub async fn get_funnel(survey_id: String) -> Result<Funnel, AppError> {
    guard::respond(async move {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        if survey_db::fetch_survey_status(&state.db, &survey_id)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound);
        }
        Ok(crate::distribution::sending::db::fetch_funnel(&state.db, &survey_id).await?)
    })
    .await
}

/// Messages queued that have not reached an outcome yet.
pub fn waiting(funnel: &Funnel) -> i64 {
    (funnel.queued - funnel.sent - funnel.failed - funnel.bounced).max(0)
}

/// The funnel as a signal that follows the ledger while the page is open.
pub fn live_funnel(survey_id: String, initial: Funnel, open: bool) -> RwSignal<Funnel> {
    let funnel = RwSignal::new(initial);
    #[cfg(feature = "hydrate")]
    if open {
        poll(survey_id, funnel);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (survey_id, open);
    funnel
}

#[cfg(feature = "hydrate")]
fn poll(survey_id: String, funnel: RwSignal<Funnel>) {
    use std::{cell::Cell, rc::Rc, time::Duration};
    let busy = Rc::new(Cell::new(false));
    let ticks = Rc::new(Cell::new(0u32));
    let tick = move || {
        ticks.set(ticks.get().wrapping_add(1));
        let sending = funnel.try_get_untracked().is_some_and(|f| waiting(&f) > 0);
        if busy.get() || (!sending && !ticks.get().is_multiple_of(10)) {
            return;
        }
        busy.set(true);
        let (id, busy) = (survey_id.clone(), busy.clone());
        leptos::task::spawn_local(async move {
            if let Ok(latest) = get_funnel(id).await {
                funnel.try_set(latest);
            }
            busy.set(false);
        });
    };
    if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(2)) {
        on_cleanup(move || handle.clear());
    }
}
