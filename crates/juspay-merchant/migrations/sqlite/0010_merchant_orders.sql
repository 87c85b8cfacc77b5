-- The merchant's own books (`juspay_merchant::ledger`): orders as this merchant knows them,
-- refunds with their `unique_request_id` (stored before the refund call; `status` NULL until
-- the call's outcome is recorded), and the webhook deliveries the example app processed.
-- `created_at`: UNIX seconds, by the clock of the replica that recorded the order.
CREATE TABLE merchant_orders (
    order_id     TEXT PRIMARY KEY,
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
    currency     TEXT NOT NULL,
    status       TEXT NOT NULL,
    paid         BOOLEAN NOT NULL DEFAULT FALSE,
    refund_seq   BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL
);
CREATE TABLE merchant_refunds (
    unique_request_id TEXT PRIMARY KEY,
    order_id          TEXT NOT NULL REFERENCES merchant_orders (order_id),
    seq               BIGINT NOT NULL,
    amount_minor      BIGINT NOT NULL CHECK (amount_minor > 0),
    status            TEXT,
    UNIQUE (order_id, seq)
);
CREATE TABLE merchant_webhook_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id  TEXT NOT NULL,
    duplicate BOOLEAN NOT NULL
);
