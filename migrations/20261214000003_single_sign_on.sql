-- Sign-ins in flight through the team's identity provider: the browser holds a random
-- cookie, this row its hash, with the state, nonce and PKCE verifier of the request. A
-- row is taken out when the provider sends the browser back, and lives ten minutes at most.
CREATE TABLE sso_logins (
    login_hash    TEXT PRIMARY KEY,
    state         TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
