//! Status vocabularies: [`OrderStatus`] (with numeric ids), [`RefundStatus`],
//! [`RefundType`], [`MandateStatus`], [`PaymentMethodType`].

open_enum! {
    /// The status of an order (the table of `docs/spec/server-api.md`, plus the values Juspay's own connector
    /// knows). Unknown values are kept in [`OrderStatus::Unknown`].
    ///
    /// Classification (documented decision; `docs/spec/server-api.md`): a status is final
    /// only when it is known to be final; every other status, `PENDING` (which no order
    /// status table has, though merchant kits poll for it) and any unknown value included, is
    /// pending, so a loop `while status.is_pending()` keeps polling until the outcome is known.
    ///
    /// | status | id | [`is_success`](Self::is_success) | [`is_final`](Self::is_final) | [`is_pending`](Self::is_pending) |
    /// |---|---|---|---|---|
    /// | `CHARGED` | 21 | yes | yes | no |
    /// | `PARTIAL_CHARGED` (a partial capture; refunds treat it as charged) | – | no | yes | no |
    /// | `JUSPAY_DECLINED`, `AUTHENTICATION_FAILED`, `AUTHORIZATION_FAILED` | 22, 26, 27 | no | yes | no |
    /// | `VOIDED`, `CAPTURE_FAILED`, `VOID_FAILED`, `AUTO_REFUNDED` | 31, 34, 35, 36 | no | yes | no |
    /// | `NEW`, `CREATED`, `STARTED`, `PENDING_VBV`, `VBV_SUCCESSFUL`, `AUTHORIZING` | 10, 1, 20, 23, 24, 28 | no | no | yes |
    /// | `AUTHORIZED`, `VOID_INITIATED`, `CAPTURE_INITIATED`, `COD_INITIATED` | –, 32, 33, 29 | no | no | yes |
    /// | `NOT_FOUND` (not visible yet: a create in flight), `PENDING`, unknown | 40, –, – | no | no | yes |
    ///
    /// "Final" means no change is expected without reconciliation; the documentation warns that a
    /// failed order can still become `CHARGED` when the gateway reconciles, so failure is
    /// confirmed by webhook or by polling order status. Only `CHARGED` is success.
    /// `AUTHORIZED` (a pre-authorisation held) is pending: it changes when the merchant
    /// captures or voids it, and is also what a capture or void that timed out leaves behind;
    /// a pre-authorisation flow waits for `== OrderStatus::Authorized` itself.
    pub enum OrderStatus {
        /// Newly created order (id 10).
        New = "NEW",
        /// Order created (create-order response; id 1 in the create-order sample).
        Created = "CREATED",
        /// Pending: no gateway found yet (id 20).
        Started = "STARTED",
        /// Charged: the only success (id 21).
        Charged = "CHARGED",
        /// The gateway did not accept the input (id 22).
        JuspayDeclined = "JUSPAY_DECLINED",
        /// Authentication in progress (id 23).
        PendingVbv = "PENDING_VBV",
        /// Authentication completed, authorization pending (id 24).
        VbvSuccessful = "VBV_SUCCESSFUL",
        /// The user did not complete authentication (id 26).
        AuthenticationFailed = "AUTHENTICATION_FAILED",
        /// The bank refused (id 27).
        AuthorizationFailed = "AUTHORIZATION_FAILED",
        /// Pending from the bank (id 28).
        Authorizing = "AUTHORIZING",
        /// Pre-authorized; capture pending.
        Authorized = "AUTHORIZED",
        /// Void succeeded for a pre-authorized transaction (id 31).
        Voided = "VOIDED",
        /// Void pending (id 32).
        VoidInitiated = "VOID_INITIATED",
        /// Capture pending (id 33).
        CaptureInitiated = "CAPTURE_INITIATED",
        /// Capture failed (id 34).
        CaptureFailed = "CAPTURE_FAILED",
        /// Void failed (id 35).
        VoidFailed = "VOID_FAILED",
        /// Automatically refunded (id 36).
        AutoRefunded = "AUTO_REFUNDED",
        /// Cash on delivery chosen; payment pending (id 29).
        CodInitiated = "COD_INITIATED",
        /// Part of a pre-authorised amount captured; the rest released.
        PartialCharged = "PARTIAL_CHARGED",
        /// No such order.
        NotFound = "NOT_FOUND",
    }
}

impl OrderStatus {
    /// The numeric `status_id` of the status table (and 1 for `CREATED`, from the create-order
    /// sample; 24, 29 and 40 from Juspay's older status table and error sample); `None` for
    /// statuses without a settled id (`AUTHORIZED` is given 24, 25 and 30 by different pages:
    /// the string decides, never the id).
    pub const fn id(&self) -> Option<u16> {
        match self {
            Self::Created => Some(1),
            Self::New => Some(10),
            Self::Started => Some(20),
            Self::Charged => Some(21),
            Self::JuspayDeclined => Some(22),
            Self::PendingVbv => Some(23),
            Self::VbvSuccessful => Some(24),
            Self::AuthenticationFailed => Some(26),
            Self::AuthorizationFailed => Some(27),
            Self::Authorizing => Some(28),
            Self::CodInitiated => Some(29),
            Self::Voided => Some(31),
            Self::VoidInitiated => Some(32),
            Self::CaptureInitiated => Some(33),
            Self::CaptureFailed => Some(34),
            Self::VoidFailed => Some(35),
            Self::AutoRefunded => Some(36),
            Self::NotFound => Some(40),
            Self::Authorized | Self::PartialCharged | Self::Unknown(_) => None,
        }
    }

    /// The status of a numeric id, `None` for an id not in the table.
    pub fn from_id(id: u16) -> Option<Self> {
        Self::KNOWN.iter().find(|s| s.id() == Some(id)).cloned()
    }

    /// Whether the payment succeeded: only `CHARGED`.
    pub const fn is_success(&self) -> bool {
        matches!(self, Self::Charged)
    }

    /// Whether no further change is expected (success or failure; see the type's table): only
    /// statuses known to be final.
    pub const fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Charged
                | Self::PartialCharged
                | Self::JuspayDeclined
                | Self::AuthenticationFailed
                | Self::AuthorizationFailed
                | Self::Voided
                | Self::CaptureFailed
                | Self::VoidFailed
                | Self::AutoRefunded
        )
    }

    /// Whether the outcome is not known yet: poll order status or wait for a webhook. Exactly
    /// the statuses that are not [final](Self::is_final), `PENDING` and unknown ones included.
    pub const fn is_pending(&self) -> bool {
        !self.is_final()
    }
}

open_enum! {
    /// The status of one refund (`refunds[].status`).
    pub enum RefundStatus {
        /// Sent or queued; not settled yet.
        Pending = "PENDING",
        /// Refunded.
        Success = "SUCCESS",
        /// The refund failed.
        Failure = "FAILURE",
        /// Held for manual review (webhook `REFUND_MANUAL_REVIEW_NEEDED`).
        ManualReview = "MANUAL_REVIEW",
        /// Scheduled as a bank transfer.
        TransferScheduled = "TRANSFER_SCHEDULED",
    }
}

impl RefundStatus {
    /// Whether the refund is settled either way (`SUCCESS` or `FAILURE`).
    pub const fn is_final(&self) -> bool {
        matches!(self, Self::Success | Self::Failure)
    }
}

open_enum! {
    /// How a refund is processed (`refund_type`).
    pub enum RefundType {
        /// The gateway's normal refund.
        Standard = "STANDARD",
        /// An instant refund.
        Instant = "INSTANT",
    }
}

open_enum! {
    /// The state of a mandate (`mandate_status`).
    pub enum MandateStatus {
        /// Registration started.
        Created = "CREATED",
        /// Registered and usable for debits.
        Active = "ACTIVE",
        /// Paused by the customer or merchant.
        Paused = "PAUSED",
        /// Revoked; no further debits.
        Revoked = "REVOKED",
        /// Registration failed.
        Failure = "FAILURE",
        /// Registration pending.
        Pending = "PENDING",
        /// Past its end date.
        Expired = "EXPIRED",
    }
}

open_enum! {
    /// The status of a pre-debit notification (`content.notification.status`, the answer of
    /// `command=pre_debit_notify`).
    pub enum NotificationStatus {
        /// Delivered to the customer: the debit may follow.
        Success = "SUCCESS",
        /// Not delivered: the debit must not follow.
        Failure = "FAILURE",
        /// Not known yet.
        Pending = "PENDING",
    }
}

open_enum! {
    /// The payment method family of a transaction (`payment_method_type`).
    pub enum PaymentMethodType {
        /// Credit or debit card.
        Card = "CARD",
        /// UPI.
        Upi = "UPI",
        /// Net banking.
        Nb = "NB",
        /// Wallet.
        Wallet = "WALLET",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_classes() {
        assert_eq!(OrderStatus::from_wire("CHARGED").id(), Some(21));
        assert_eq!(OrderStatus::from_id(36), Some(OrderStatus::AutoRefunded));
        assert_eq!(OrderStatus::from_id(99), None);
        assert_eq!(
            OrderStatus::from_wire("SOMETHING"),
            OrderStatus::Unknown("SOMETHING".into())
        );
        for s in OrderStatus::KNOWN {
            assert_ne!(s.is_final(), s.is_pending(), "{s}");
            assert_eq!(s.is_success(), *s == OrderStatus::Charged);
            assert_eq!(&OrderStatus::from_wire(s.as_str()), s);
        }
        assert!(OrderStatus::NotFound.is_pending());
    }
}
