//! The Send step's server functions for the in-product channel: adapters over `use_cases`.
use super::model::InProduct;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::model::{parse_origins, parse_snooze_days},
    super::use_cases::{self, ChannelChange, Switch},
    crate::{
        auth::model::Role,
        error::{keep_fields, FieldError},
        ids::SurveyId,
        server::guard,
    },
};

/// The channel's settings and counts; the signing secret only for editors.
#[server(prefix = "/fn", endpoint = "get_in_product", output = crate::ui::wire::Postcard)]
pub async fn get_in_product(survey_id: String) -> Result<InProduct, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Viewer).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let reveal = user.role.includes(Role::Editor);
        use_cases::load(&state.db, &state.config, &survey_id, reveal).await
    })
    .await
}

/// Turns the channel on, renews its key and secret, or turns it off (`switch`); or saves
/// its origins and snooze (`switch` empty). Every problem is reported at once.
#[server(prefix = "/fn", endpoint = "set_in_product", output = crate::ui::wire::Postcard)]
pub async fn set_in_product(
    survey_id: String,
    switch: Option<String>,
    origins: Option<String>,
    snooze_days: Option<String>,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let mut errors: Vec<FieldError> = Vec::new();
        let change = ChannelChange {
            switch: switch
                .as_deref()
                .filter(|s| !s.is_empty())
                .and_then(|s| keep_fields(&mut errors, Switch::parse(s))),
            origins: origins
                .as_deref()
                .and_then(|text| keep_fields(&mut errors, parse_origins("origins", text))),
            snooze_days: snooze_days.as_deref().and_then(|text| {
                let days = text
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| AppError::field("snooze_days", "Write a whole number of days."));
                keep_fields(
                    &mut errors,
                    days.and_then(|d| parse_snooze_days("snooze_days", d)),
                )
            }),
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        use_cases::change(
            &state.db,
            &survey_id,
            &change,
            &user.actor(),
            state.clock.now(),
        )
        .await
    })
    .await
}
