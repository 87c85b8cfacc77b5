//! Webhooks (`docs/spec/server-api.md`, Webhooks): [`WebhookEvent`] and [`WebhookEventName`].
//!
//! Delivery is at least once and may race the browser redirect: deduplicate by
//! [`WebhookEvent::id`] and confirm the state with order status.

use alloc::boxed::Box;
use alloc::string::String;

use serde_json::Value;

use crate::order_status::{MandateDetails, OrderStatusResponse};
use crate::status::NotificationStatus;

open_enum! {
    /// `event_name` of a webhook; unknown names are kept, never rejected.
    pub enum WebhookEventName {
        /// The order was charged.
        OrderSucceeded = "ORDER_SUCCEEDED",
        /// The order failed.
        OrderFailed = "ORDER_FAILED",
        /// A refund succeeded.
        OrderRefunded = "ORDER_REFUNDED",
        /// A refund failed.
        OrderRefundFailed = "ORDER_REFUND_FAILED",
        /// A transaction was created.
        TxnCreated = "TXN_CREATED",
        /// A refund needs manual review.
        RefundManualReviewNeeded = "REFUND_MANUAL_REVIEW_NEEDED",
        /// An automatic refund succeeded.
        AutoRefundSucceeded = "AUTO_REFUND_SUCCEEDED",
        /// An automatic refund failed.
        AutoRefundFailed = "AUTO_REFUND_FAILED",
        /// A mandate was created.
        MandateCreated = "MANDATE_CREATED",
        /// A mandate became active.
        MandateActivated = "MANDATE_ACTIVATED",
        /// A mandate was revoked.
        MandateRevoked = "MANDATE_REVOKED",
        /// A mandate was paused.
        MandatePaused = "MANDATE_PAUSED",
        /// A mandate expired.
        MandateExpired = "MANDATE_EXPIRED",
        /// A pre-debit notification succeeded.
        NotificationSucceeded = "NOTIFICATION_SUCCEEDED",
        /// A pre-debit notification failed.
        NotificationFailed = "NOTIFICATION_FAILED",
    }
}

wire_struct! {
    /// The webhook envelope:
    /// `{"id": "evt_V2_…", "event_name": …, "date_created": "…", "content": {…}}`.
    #[derive(Debug, PartialEq)]
    pub struct WebhookEvent {
        /// Event id: the deduplication key.
        pub id: String,
        /// What happened.
        pub event_name: WebhookEventName,
        /// When (RFC 3339, UTC).
        #[cfg_attr(feature = "schemars", schemars(extend("format" = "date-time")))]
        pub date_created?: String,
        /// The object the event is about.
        #[serde(default)]
        pub content: WebhookContent,
    }
}

wire_struct! {
    /// `content` of a webhook: `order` for order and refund events, `mandate` for mandate
    /// events, `notification` for notification events.
    #[derive(Debug, Default, PartialEq)]
    pub struct WebhookContent {
        /// The order status object.
        pub order?: Box<OrderStatusResponse>,
        /// The mandate object.
        pub mandate?: MandateDetails,
        /// The pre-debit notification object.
        pub notification?: Notification,
    }
}

wire_struct! {
    /// A pre-debit notification (`content.notification`).
    #[derive(Debug, Default, PartialEq)]
    pub struct Notification {
        /// Juspay's id of the notification (used as `mandate.notification_id` on execution).
        pub id?: String,
        /// The merchant's `object_reference_id`.
        pub object_reference_id?: String,
        /// Status (`SUCCESS`, `FAILURE`, `PENDING`; others kept).
        pub status?: NotificationStatus,
        /// `source_info` as sent.
        pub source_info?: Value,
    }
}
