//! The delivery page's one server function.
use crate::distribution::delivery::model::MailSetup;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{auth::model::Role, server::guard};

/// How this instance sends and the DNS records its domain needs. Editors and admins: the
/// records hold nothing secret (they are public in DNS), but only those who send need them.
#[server(prefix = "/fn", endpoint = "get_mail_setup", output = crate::ui::wire::Postcard)]
pub async fn get_mail_setup() -> Result<MailSetup, AppError> {
    guard::respond(async {
        let (state, _) = guard::require_role(Role::Editor).await?;
        let mut setup = state.config.mail_setup.clone();
        if setup.intake.mailbox.is_some() {
            setup.intake.counts = crate::distribution::intake::db::counts(&state.db).await?;
            setup.intake.last_poll = state
                .last_intake_poll
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
        }
        Ok(setup)
    })
    .await
}
