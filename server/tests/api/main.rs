//! Integration tests: each starts the real server on a free port with a fresh database and
//! drives it over HTTP, once on SQLite and once on PostgreSQL.
mod helpers;
mod mail_sink;

mod accounts;
mod answering;
mod api_definitions;
mod assets;
mod authorization;
mod builder;
mod command_line;
mod comments;
mod contacts;
mod cross_site;
mod disk_full;
mod faults;
mod killed;
mod large_sends;
mod link_guessing;
mod malformed;
mod operations;
mod outage;
mod overview;
mod process;
mod public_api;
mod public_link;
mod read_only;
mod respondent;
mod results;
mod results_cache;
mod sending;
mod surveys;
mod team;
mod traces;
mod webhooks;
mod xss;
mod xss_everywhere;
