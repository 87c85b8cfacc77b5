//! Unknown statuses and events are kept; known ones classify as documented.

use juspay_types::{OrderStatus, RefundStatus, WebhookEventName};

#[test]
fn unknown_values_are_kept_verbatim() {
    let s: OrderStatus = serde_json::from_str(r#""PENDING_AUTHENTICATION""#).unwrap();
    assert_eq!(s, OrderStatus::Unknown("PENDING_AUTHENTICATION".into()));
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        r#""PENDING_AUTHENTICATION""#
    );
    assert!(!s.is_success() && !s.is_final() && s.is_pending());
    assert_eq!(s.id(), None);

    let r: RefundStatus = serde_json::from_str(r#""REFUND_PARKED""#).unwrap();
    assert_eq!(r.as_str(), "REFUND_PARKED");
    assert!(r.is_unknown());

    let e: WebhookEventName = serde_json::from_str(r#""ORDER_PARTIALLY_CAPTURED""#).unwrap();
    assert_eq!(
        e,
        WebhookEventName::Unknown("ORDER_PARTIALLY_CAPTURED".into())
    );
    let e: WebhookEventName = serde_json::from_str(r#""MANDATE_PAUSED""#).unwrap();
    assert_eq!(e, WebhookEventName::MandatePaused);
}

#[test]
fn status_table_of_the_documentation() {
    // The status table of `docs/spec/server-api.md`: status, id.
    let table = [
        ("NEW", 10),
        ("PENDING_VBV", 23),
        ("CHARGED", 21),
        ("AUTHENTICATION_FAILED", 26),
        ("AUTHORIZATION_FAILED", 27),
        ("JUSPAY_DECLINED", 22),
        ("AUTHORIZING", 28),
        ("STARTED", 20),
        ("AUTO_REFUNDED", 36),
        ("CAPTURE_INITIATED", 33),
        ("CAPTURE_FAILED", 34),
        ("VOID_INITIATED", 32),
        ("VOIDED", 31),
        ("VOID_FAILED", 35),
    ];
    for (name, id) in table {
        let s = OrderStatus::from_wire(name);
        assert!(!s.is_unknown(), "{name}");
        assert_eq!(s.id(), Some(id), "{name}");
        assert_eq!(OrderStatus::from_id(id), Some(s.clone()), "{name}");
        assert_eq!(s.is_success(), name == "CHARGED");
    }
    for name in [
        "CREATED",
        "VBV_SUCCESSFUL",
        "AUTHORIZED",
        "COD_INITIATED",
        "NOT_FOUND",
    ] {
        assert!(!OrderStatus::from_wire(name).is_unknown(), "{name}");
    }
    assert!(OrderStatus::PendingVbv.is_pending());
    assert!(OrderStatus::AuthorizationFailed.is_final());
    assert!(OrderStatus::Charged.is_final());
}

/// Every order status the server API documents (the status table and the statuses "also
/// seen"; the pre-authorisation, capture and void statuses; `PENDING`, which kits poll for)
/// against the classification: `(status, final, success)`. Pending is exactly not final.
const CLASSIFICATION: [(&str, bool, bool); 26] = [
    // The status table.
    ("NEW", false, false),
    ("STARTED", false, false),
    ("CHARGED", true, true),
    ("JUSPAY_DECLINED", true, false),
    ("PENDING_VBV", false, false),
    ("AUTHENTICATION_FAILED", true, false),
    ("AUTHORIZATION_FAILED", true, false),
    ("AUTHORIZING", false, false),
    ("VOIDED", true, false),
    ("VOID_INITIATED", false, false),
    ("CAPTURE_INITIATED", false, false),
    ("CAPTURE_FAILED", true, false),
    ("VOID_FAILED", true, false),
    ("AUTO_REFUNDED", true, false),
    // Also seen.
    ("CREATED", false, false),
    ("VBV_SUCCESSFUL", false, false),
    ("COD_INITIATED", false, false),
    ("NOT_FOUND", false, false),
    // Pre-authorisation: held until captured or voided (a timed-out capture leaves it so).
    ("AUTHORIZED", false, false),
    ("PARTIAL_CHARGED", true, false),
    // Not an order status in any table, yet HDFC's kit switches on it: never final.
    ("PENDING", false, false),
    // The statuses of one agent card that no public table has, and values never seen.
    ("SUCCESS", false, false),
    ("PENDING_AUTHENTICATION", false, false),
    ("pending", false, false),
    ("", false, false),
    ("SOME_FUTURE_STATUS", false, false),
];

#[test]
fn every_documented_status_is_classified_and_only_known_final_ones_are_final() {
    for (wire, is_final, is_success) in CLASSIFICATION {
        let s: OrderStatus = serde_json::from_str(&format!("\"{wire}\"")).unwrap();
        assert_eq!(s.as_str(), wire);
        assert_eq!(s.is_final(), is_final, "is_final({wire:?})");
        assert_eq!(s.is_pending(), !is_final, "is_pending({wire:?})");
        assert_eq!(s.is_success(), is_success, "is_success({wire:?})");
    }
    // Every known status is in the table.
    for s in OrderStatus::KNOWN {
        assert!(
            CLASSIFICATION.iter().any(|(wire, ..)| *wire == s.as_str()),
            "{s} is not in the table"
        );
    }
    // A merchant polling `while is_pending()` keeps polling on `PENDING`.
    assert!(OrderStatus::from_wire("PENDING").is_pending());
}
