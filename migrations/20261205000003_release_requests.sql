-- `/release-surveys` calls made with an Idempotency-Key: the same key (per API token)
-- returns the survey the first call made, so a pipeline that retries gets one survey.
CREATE TABLE release_requests (
    token_id        TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    -- A hash of the request, so the same key with another request is refused.
    fingerprint     TEXT NOT NULL,
    survey_id       TEXT REFERENCES surveys (survey_id) ON DELETE CASCADE,
    outcome         TEXT,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (token_id, idempotency_key)
);
