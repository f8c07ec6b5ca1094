//! A survey's recipients table: one row per invitation, fifty at a time, searchable by
//! name or address and filterable by status, community and tier, with a count per status.
//! `model` holds what the browser shares, `list` the use case every front door calls,
//! `db` its SQL, `api` the server function and `table` the component.
pub mod api;
pub mod model;
pub mod table;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod list;
