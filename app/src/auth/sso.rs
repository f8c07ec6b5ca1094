//! Single sign-on through the team's OpenID Connect provider (Google Workspace, Microsoft
//! Entra ID, Keycloak, Authentik...): the authorization code flow with PKCE, discovery,
//! and an ID token whose signature, issuer, audience, expiry and nonce are checked by the
//! `openidconnect` crate. Accounts are matched by verified address; an allowed domain may
//! create them. The use cases behind `/sign-in/sso` and its callback.
use super::model::Role;
use super::{db as users_db, session, sso_db};
use crate::audit::{model::Subject, record::record, Action, Actor};
use crate::db::new_id;
use crate::email::EmailAddress;
use crate::error::{AppError, AppResult};
use crate::server::token::{SecretToken, SESSION_TOKEN_BYTES};
use crate::server::AppState;
use openidconnect::core::{CoreClient, CoreProviderMetadata, CoreResponseType, CoreUserInfoClaims};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};

/// A sign-in must come back from the provider within this long.
pub const LOGIN_SECS: i64 = 600;
/// The cookie that ties the browser to the sign-in it started.
pub const LOGIN_COOKIE: &str = "soundings_sso";

/// The provider as `OIDC_*` settings name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The button's words: "Sign in with {name}".
    pub name: String,
    /// Addresses at these domains get an account at their first sign-in.
    pub allowed_domains: Vec<String>,
    pub default_role: Role,
    /// Password sign-in is off, except for `break_glass`.
    pub only: bool,
    /// The one address that may still sign in with a password when `only` is set.
    pub break_glass: Option<String>,
    /// An address with no `email_verified` claim at all counts as verified when it is at
    /// one of `allowed_domains`: Microsoft Entra ID verifies its tenant's domains but sends
    /// no such claim. An explicit `false` is refused whatever this says.
    pub trust_domain_emails: bool,
}

impl SsoConfig {
    fn allows_domain(&self, email: &EmailAddress) -> bool {
        let domain = email.as_str().rsplit('@').next().unwrap_or_default();
        self.allowed_domains.iter().any(|d| d == domain)
    }

    /// Whether `email` may sign in with a password.
    pub fn allows_password(&self, email: &str) -> bool {
        !self.only || self.break_glass.as_deref() == Some(email)
    }
}

/// The redirect URL to register at the provider.
pub fn redirect_url(state: &AppState) -> String {
    state.config.team_link("/sign-in/sso/callback")
}

fn settings(state: &AppState) -> AppResult<&SsoConfig> {
    state.config.sso.as_ref().ok_or(AppError::NotFound)
}

fn http_client() -> AppResult<openidconnect::reqwest::Client> {
    // The provider's answers are followed by us, never its redirects (SSRF).
    openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|_| AppError::Internal)
}

fn unreachable(error: impl std::fmt::Display) -> AppError {
    tracing::warn!(%error, "the sign-in provider could not be used");
    AppError::Unavailable
}

/// The provider's metadata and keys, read by discovery on every sign-in: a rotated key
/// is picked up at once, and a provider that is down fails one sign-in, not the start-up.
async fn client(
    state: &AppState,
    http: &openidconnect::reqwest::Client,
) -> AppResult<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
> {
    let sso = settings(state)?;
    let issuer = IssuerUrl::new(sso.issuer.clone()).map_err(unreachable)?;
    let metadata = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(unreachable)?;
    let redirect = RedirectUrl::new(redirect_url(state)).map_err(unreachable)?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(sso.client_id.clone()),
        Some(ClientSecret::new(sso.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

/// Starts a sign-in: returns the provider's address to send the browser to, and the
/// cookie value that ties this browser to the sign-in (its hash, the state, the nonce and
/// the PKCE verifier are kept server-side for `LOGIN_SECS`).
pub async fn start(state: &AppState) -> AppResult<(String, String)> {
    let http = http_client()?;
    let client = client(state, &http).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let login = SecretToken::generate(SESSION_TOKEN_BYTES)?;
    let now = state.clock.now();
    let pending = sso_db::PendingLogin {
        login_hash: login.hash().as_str().to_string(),
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
    };
    sso_db::delete_expired_logins(&state.db, now - LOGIN_SECS).await?;
    sso_db::insert_login(&state.db, &pending, now).await?;
    Ok((url.to_string(), login.expose().to_string()))
}

/// Why a sign-in was refused, in the words the sign-in page shows.
fn refused(message: &str) -> AppError {
    AppError::Conflict(message.to_string())
}

/// Finishes a sign-in: checks that the browser started it (cookie and state), exchanges
/// the code with the PKCE verifier, verifies the ID token (signature, issuer, audience,
/// expiry, nonce), and signs in the account with the verified address, creating it when
/// the address's domain is allowed. Returns the session's `Set-Cookie` value.
pub async fn finish(
    state: &AppState,
    login_cookie: Option<&str>,
    returned_state: &str,
    code: &str,
) -> AppResult<String> {
    let sso = settings(state)?;
    let again = "The sign-in could not be completed. Start it again from the sign-in page.";
    let login = login_cookie
        .and_then(|c| SecretToken::parse(c, SESSION_TOKEN_BYTES))
        .ok_or_else(|| refused(again))?;
    let now = state.clock.now();
    // Used once, whatever happens next.
    let pending = sso_db::take_login(&state.db, login.hash().as_str(), now - LOGIN_SECS)
        .await?
        .ok_or_else(|| refused(again))?;
    if pending.state != returned_state {
        tracing::warn!("single sign-on refused: the state does not match");
        return Err(refused(again));
    }
    let http = http_client()?;
    let client = client(state, &http).await?;
    let response = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(unreachable)?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier))
        .request_async(&http)
        .await
        .map_err(|error| {
            tracing::warn!(%error, "single sign-on refused: the code exchange failed");
            refused(again)
        })?;
    let id_token = response.id_token().ok_or_else(|| refused(again))?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(pending.nonce))
        .map_err(|error| {
            tracing::warn!(%error, "single sign-on refused: the ID token is not valid");
            refused("Your identity provider's answer could not be verified, so you were not signed in. Start again from the sign-in page.")
        })?;
    // Some providers put the address in the ID token, others (and any that keep ID tokens
    // small) only in their userinfo answer, which must name the same subject.
    let (email, verified) =
        match (claims.email(), claims.email_verified()) {
            (Some(email), verified @ Some(_)) => (Some(email.to_string()), verified),
            _ => {
                let info: CoreUserInfoClaims = client
                .user_info(response.access_token().clone(), Some(claims.subject().clone()))
                .map_err(|_| refused(again))?
                .request_async(&http)
                .await
                .map_err(|error| {
                    tracing::warn!(%error, "single sign-on refused: userinfo could not be read");
                    refused(again)
                })?;
                (info.email().map(|e| e.to_string()), info.email_verified())
            }
        };
    let email = email
        .and_then(|e| EmailAddress::parse(&e).ok())
        .ok_or_else(|| {
            refused("Your identity provider did not give an email address, so it can't sign you in here.")
        })?;
    let verified = match verified {
        Some(verified) => verified,
        None => sso.trust_domain_emails && sso.allows_domain(&email),
    };
    if !verified {
        tracing::info!("single sign-on refused: the address is not verified");
        return Err(refused(
            "Your identity provider has not verified your email address, so it can't sign you in here. Verify it there, or ask an admin.",
        ));
    }
    let user_id = match users_db::fetch_user_by_email(&state.db, email.as_str()).await? {
        Some(user) => user.user_id,
        None => create_for_domain(state, sso, &email, now).await?,
    };
    tracing::info!(user_id, "signed in through single sign-on");
    session::start(state, &user_id).await
}

/// An account for an address at an allowed domain, with the default role.
async fn create_for_domain(
    state: &AppState,
    sso: &SsoConfig,
    email: &EmailAddress,
    now: i64,
) -> AppResult<String> {
    if !sso.allows_domain(email) {
        tracing::info!("single sign-on refused: no account and the domain is not allowed");
        return Err(refused(&format!(
            "No Soundings account uses {email}. Ask an admin of your team to invite you."
        )));
    }
    let user_id = new_id();
    let mut tx = state.db.begin_write().await?;
    users_db::insert_user(
        &mut *tx,
        &user_id,
        email.as_str(),
        "",
        sso.default_role,
        now,
    )
    .await?;
    let actor = Actor::Member(user_id.clone());
    let detail = format!("{email} as {}, through single sign-on", sso.default_role);
    let subject = Some(Subject::member(&user_id));
    record(
        &mut *tx,
        &actor,
        Action::MemberJoined,
        subject,
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(user_id)
}
