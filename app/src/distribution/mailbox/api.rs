//! Server functions of the development mailbox.
use crate::distribution::model::{MailSummary, MailView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::db as mailbox_db,
    crate::{auth::model::Role, server::guard},
};

/// The newest 200 messages of the development mailbox.
#[server(prefix = "/fn", endpoint = "list_mail", output = crate::ui::wire::Postcard)]
pub async fn list_mail() -> Result<Vec<MailSummary>, AppError> {
    guard::respond(async {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let admin = user.role.includes(Role::Admin);
        Ok(mailbox_db::fetch_mails(&state.db, 200, admin).await?)
    })
    .await
}

#[server(prefix = "/fn", endpoint = "get_mail", output = crate::ui::wire::Postcard)]
pub async fn get_mail(mail_id: String) -> Result<MailView, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let admin = user.role.includes(Role::Admin);
        mailbox_db::fetch_mail(&state.db, &mail_id, admin)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}
