-- A fingerprint of the secret key personal links are derived from (never the key). The
-- first start records it; an instance started with another key refuses to run, since the
-- links it would send could not be opened by the others.
CREATE TABLE server_key (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    fingerprint TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
