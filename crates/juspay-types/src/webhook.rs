//! Webhooks (seed 004, `server-api.md`): [`WebhookEvent`] and [`WebhookEventName`].
//!
//! Delivery is at least once and may race the browser redirect: deduplicate by
//! [`WebhookEvent::id`] and confirm the state with order status.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;

use serde_json::Value;

use crate::order_status::{MandateDetails, OrderStatusResponse};

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

/// The webhook envelope:
/// `{"id": "evt_V2_…", "event_name": …, "date_created": "…", "content": {…}}`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct WebhookEvent {
    /// Event id: the deduplication key.
    pub id: String,
    /// What happened.
    pub event_name: WebhookEventName,
    /// When (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_created: Option<String>,
    /// The object the event is about.
    #[serde(default)]
    pub content: WebhookContent,
    /// Fields this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// `content` of a webhook: `order` for order and refund events, `mandate` for mandate
/// events, `notification` for notification events.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct WebhookContent {
    /// The order status object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Box<OrderStatusResponse>>,
    /// The mandate object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate: Option<MandateDetails>,
    /// The pre-debit notification object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification: Option<Notification>,
    /// Fields this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// A pre-debit notification (`content.notification`).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Notification {
    /// Juspay's id of the notification (used as `mandate.notification_id` on execution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The merchant's `object_reference_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_reference_id: Option<String>,
    /// Status (`SUCCESS`, `FAILURE`, `PENDING`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `source_info` as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_info: Option<Value>,
    /// Fields this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}
