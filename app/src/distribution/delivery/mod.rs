//! Delivery: what the team's DNS must say for mailbox providers to accept its mail (DKIM,
//! SPF, DMARC), shown on `/mail-delivery` and printed by `soundings mail dkim-record`.
pub mod api;
pub mod model;
pub mod page;
