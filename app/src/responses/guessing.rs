//! The link-guessing throttle in front of every respondent route (`/s/...`, `/u/...`).
//! It counts the replies that say "this link doesn't work" per client address, and once a
//! client has had too many, answers it 429 before looking any link up. Kept in memory and
//! apart from the sign-in throttle, so neither can lock a person out of the other.
use super::page;
use super::reply::html;
use crate::server::guard::client_address_of;
use crate::server::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderValue, StatusCode};
use std::net::SocketAddr;

pub async fn throttle(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| *address);
    let client = client_address_of(request.headers(), peer, &state.config);
    if let Some(wait) = state.link_guesses.wait(&client) {
        return too_many(wait);
    }
    let response = next.run(request).await;
    // Every unknown, malformed or revoked link answers 404 and nothing else on these
    // routes does, so the status is the miss.
    if response.status() == StatusCode::NOT_FOUND {
        state.link_guesses.missed(&client);
    }
    response
}

fn too_many(wait: u64) -> Response {
    let mut response = html(
        StatusCode::TOO_MANY_REQUESTS,
        page::message(
            "Too many links tried",
            "Too many links that don't work came from your network. Please wait a minute, \
             then open the link from your invitation again.",
        ),
    );
    if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}
