//! Unknown statuses and events are kept; known ones classify as documented.

use juspay_types::{OrderStatus, RefundStatus, WebhookEventName};

#[test]
fn unknown_values_are_kept_verbatim() {
    let s: OrderStatus = serde_json::from_str(r#""PARTIAL_CHARGED""#).unwrap();
    assert_eq!(s, OrderStatus::Unknown("PARTIAL_CHARGED".into()));
    assert_eq!(serde_json::to_string(&s).unwrap(), r#""PARTIAL_CHARGED""#);
    assert!(!s.is_success() && !s.is_final() && !s.is_pending());
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
