//! Cursor pages, the same for every list: `limit` from 1 to 100 (50 when absent) and an
//! opaque `cursor` naming the last item's sort key. Each list asks for one row more than
//! the limit, so it knows whether a next page exists without counting.
use super::error::{ApiError, ApiResult};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use utoipa::IntoParams;

/// Most items a page holds.
pub const MAX_PAGE: i64 = 100;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageParams {
    /// 1 to 100; 50 when absent.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl PageParams {
    pub fn limit(&self) -> ApiResult<i64> {
        match self.limit {
            None => Ok(50),
            Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::field(
                "limit",
                format!("Give a limit from 1 to {MAX_PAGE}."),
            )),
        }
    }

    /// The sort key the cursor names; None on the first page.
    pub fn after(&self) -> ApiResult<Option<String>> {
        match self.cursor.as_deref() {
            None | Some("") => Ok(None),
            Some(cursor) => URL_SAFE_NO_PAD
                .decode(cursor)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .map(Some)
                .ok_or_else(refused),
        }
    }

    /// The cursor's key as a time and an id (see `timed_key`).
    pub fn after_timed(&self) -> ApiResult<Option<(i64, String)>> {
        self.after()?
            .map(|key| {
                let (at, id) = key.split_once('.').ok_or_else(refused)?;
                Ok((at.parse().map_err(|_| refused())?, id.to_string()))
            })
            .transpose()
    }
}

fn refused() -> ApiError {
    ApiError::bad_request("The cursor is not one this API gave out.")
}

/// A sort key of a time and an id, for lists ordered by both.
pub fn timed_key(at: i64, id: &str) -> String {
    format!("{at}.{id}")
}

/// Keeps `limit` of the `limit + 1` rows fetched, with the cursor of the next page.
pub fn split<T>(
    mut items: Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    if items.len() as i64 <= limit {
        return (items, None);
    }
    items.truncate(limit as usize);
    let next = items.last().map(|item| URL_SAFE_NO_PAD.encode(key(item)));
    (items, next)
}
