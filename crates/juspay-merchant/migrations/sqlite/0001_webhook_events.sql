-- Webhook events, one row per event key (the event id, or `sha256:` and the body's digest for
-- an event without id). `processing`: held by `lease_token` until `lease_until` (UNIX
-- milliseconds), after which it may be claimed again; `done`: processed, a redelivery is a
-- duplicate. A released event has no row.
CREATE TABLE juspay_webhook_events (
    event_key   TEXT PRIMARY KEY NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('processing', 'done')),
    lease_token TEXT,
    lease_until INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 1,
    updated_at  INTEGER NOT NULL,
    CHECK ((state = 'processing') = (lease_token IS NOT NULL AND lease_until IS NOT NULL))
) STRICT;
