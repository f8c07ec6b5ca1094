//! OAuth 2.0 access tokens for SMTP login (XOAUTH2), for Microsoft 365 and Google
//! Workspace, which are switching password login off. A token comes from the provider's
//! token endpoint, by refresh token (delegated: a person consented once) or by client
//! credentials (an application allowed to send as the mailbox), and is fetched again
//! shortly before it expires.
use crate::settings::OauthSettings;
use anyhow::{bail, Context};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// A token and when it must be fetched again.
struct Held {
    token: String,
    refresh_at: Instant,
}

/// What the source keeps between fetches.
struct State {
    current: Option<Held>,
    /// The refresh token to use next: the configured one, then any the provider rotates
    /// to (Microsoft returns a new one each time). None: client credentials.
    refresh_token: Option<String>,
}

/// Fetches access tokens and keeps the current one.
pub struct TokenSource {
    settings: OauthSettings,
    client: reqwest::Client,
    state: Mutex<State>,
}

impl TokenSource {
    pub fn new(settings: OauthSettings) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .context("an HTTP client for the OAuth token endpoint")?;
        let state = Mutex::new(State {
            current: None,
            refresh_token: settings.refresh_token.as_ref().map(|t| t.0.clone()),
        });
        Ok(Self {
            settings,
            client,
            state,
        })
    }

    pub fn user(&self) -> &str {
        &self.settings.user
    }

    /// The current token, fetched anew when there is none or it expires soon; whether it
    /// is a new one (so connections made with the old one can be replaced).
    pub async fn token(&self) -> anyhow::Result<(String, bool)> {
        let mut state = self.state.lock().await;
        if let Some(current) = state.current.as_ref() {
            if Instant::now() < current.refresh_at {
                return Ok((current.token.clone(), false));
            }
        }
        let (token, expires_in) = self.fetch(&mut state).await?;
        // Fetched again a minute before it expires, or halfway for very short lives.
        let margin = Duration::from_secs(60).min(expires_in / 2);
        state.current = Some(Held {
            token: token.clone(),
            refresh_at: Instant::now() + expires_in - margin,
        });
        Ok((token, true))
    }

    async fn fetch(&self, state: &mut State) -> anyhow::Result<(String, Duration)> {
        let s = &self.settings;
        let mut form: Vec<(&str, String)> = vec![
            ("client_id", s.client_id.clone()),
            ("client_secret", s.client_secret.0.clone()),
        ];
        match &state.refresh_token {
            Some(token) => {
                form.push(("grant_type", "refresh_token".into()));
                form.push(("refresh_token", token.clone()));
            }
            None => form.push(("grant_type", "client_credentials".into())),
        }
        if let Some(scope) = &s.scope {
            form.push(("scope", scope.clone()));
        }
        let response = self
            .client
            .post(&s.token_url)
            .form(&form)
            .send()
            .await
            .context("the OAuth token endpoint did not answer")?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        if !status.is_success() {
            // The provider's own words (error, error_description) say what to fix; no
            // secret is in them.
            let why = answer["error_description"]
                .as_str()
                .or(answer["error"].as_str())
                .unwrap_or("no reason given");
            bail!("the OAuth token endpoint refused ({status}): {why}");
        }
        let Some(token) = answer["access_token"].as_str() else {
            bail!("the OAuth token endpoint's answer has no access_token");
        };
        let expires_in = answer["expires_in"]
            .as_u64()
            .or_else(|| answer["expires_in"].as_str().and_then(|t| t.parse().ok()))
            .unwrap_or(3600)
            .max(1);
        // A rotated refresh token replaces ours; client credentials never switch to one.
        if let (Some(ours), Some(rotated)) =
            (&mut state.refresh_token, answer["refresh_token"].as_str())
        {
            *ours = rotated.to_string();
        }
        Ok((token.to_string(), Duration::from_secs(expires_in)))
    }
}
