-- Webhook events, one row per event key (the event id, or `sha256:` and the body's digest for
-- an event without id). `processing`: held by `lease_token` until `lease_until`, after which
-- another replica may claim it; `done`: processed, a redelivery is a duplicate. A released
-- event has no row. Times are the database's clock, shared by every replica.
CREATE TABLE juspay_webhook_events (
    event_key   TEXT PRIMARY KEY,
    state       TEXT NOT NULL CHECK (state IN ('processing', 'done')),
    lease_token TEXT,
    lease_until TIMESTAMPTZ,
    attempts    INTEGER NOT NULL DEFAULT 1,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    CHECK ((state = 'processing') = (lease_token IS NOT NULL AND lease_until IS NOT NULL))
);
