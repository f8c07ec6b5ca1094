//! The contact list: communities on tiers, contacts with their roles and tags, the CSV
//! import (planned row by row, applied all or nothing), unsubscribing and erasure.
pub mod api;
pub mod forms;
pub mod page;
pub mod tiers;

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod directory;
#[cfg(feature = "ssr")]
mod directory_db;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod import_page;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod unsubscribe;
#[cfg(feature = "ssr")]
pub mod use_cases;
