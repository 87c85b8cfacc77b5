//! What an SDK result means, and what the merchant server must do next.

use juspay_types::open_enum;

open_enum! {
    /// `payload.status` of a `process_result` event (the status table of
    /// `docs/spec/sdk-protocol.md`, Responses and events).
    ///
    /// There is deliberately no `is_success()`: a client-side "charged" is never final (false
    /// positives happen). Ask [`ProcessStatus::required_next_step`], or better
    /// [`crate::ProcessOutcome::required_next_step`], which also weighs the `error` flag.
    pub enum ProcessStatus {
        /// `charged`: the SDK saw a successful payment. Verify once with order status.
        Charged = "charged",
        /// `cod_initiated`: the customer chose cash on delivery. Verify once with order status.
        CodInitiated = "cod_initiated",
        /// `backpressed`: the customer left the payment page before any transaction.
        Backpressed = "backpressed",
        /// `user_aborted`: the customer started a transaction, then went back.
        UserAborted = "user_aborted",
        /// `pending_vbv`: the transaction is pending (authentication).
        PendingVbv = "pending_vbv",
        /// `authorizing`: the transaction is pending (authorization).
        Authorizing = "authorizing",
        /// `authorization_failed`: failed (false negatives happen).
        AuthorizationFailed = "authorization_failed",
        /// `authentication_failed`: failed (false negatives happen).
        AuthenticationFailed = "authentication_failed",
        /// `api_failure`: failed (false negatives happen).
        ApiFailure = "api_failure",
        /// `juspay_declined`: the gateway did not accept the input.
        JuspayDeclined = "juspay_declined",
        /// `new`: order created, transaction failed.
        New = "new",
        ;
        /// Any other status, including the empty string: unknown, treated as a failure.
        Unknown(String),
    }
}

/// What the merchant server must do after an SDK result. None of these says "fulfil the
/// order": only the server-to-server order status (`GET /orders/{order_id}`) is the truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NextStep {
    /// The SDK reports success (`charged`, `cod_initiated` with `error: false`): call order
    /// status once and fulfil only if the server confirms (false positives happen).
    VerifyWithOrderStatusOnce,
    /// The outcome is open (pending, aborted mid-transaction, `new`, unknown, or a success
    /// status contradicted by `error: true`): poll order status until it is final.
    PollOrderStatusUntilFinal,
    /// `backpressed`: no transaction was made. Do not terminate the SDK; show the checkout
    /// (or the widget) again.
    NoTransactionKeepSdkAlive,
    /// The SDK reports a failure: verify with order status before telling the customer
    /// (false negatives happen).
    FailedPendingVerification,
}

impl NextStep {
    /// Whether the merchant server must call order status (every step except
    /// [`NextStep::NoTransactionKeepSdkAlive`]).
    pub const fn requires_order_status(self) -> bool {
        !matches!(self, Self::NoTransactionKeepSdkAlive)
    }
}

impl ProcessStatus {
    /// The step the status table (`docs/spec/sdk-protocol.md`, Responses and events)
    /// prescribes for this status, assuming the `error` flag agrees with it (false for
    /// `charged`/`cod_initiated`, true otherwise).
    pub fn required_next_step(&self) -> NextStep {
        match self {
            Self::Charged | Self::CodInitiated => NextStep::VerifyWithOrderStatusOnce,
            Self::Backpressed => NextStep::NoTransactionKeepSdkAlive,
            Self::AuthorizationFailed
            | Self::AuthenticationFailed
            | Self::ApiFailure
            | Self::JuspayDeclined => NextStep::FailedPendingVerification,
            Self::UserAborted
            | Self::PendingVbv
            | Self::Authorizing
            | Self::New
            | Self::Unknown(_) => NextStep::PollOrderStatusUntilFinal,
        }
    }

    /// The step for this status reported with this `error` flag: a success status with
    /// `error: true` (or no flag) is contradictory and is not trusted.
    pub fn required_next_step_given_error(&self, error: Option<bool>) -> NextStep {
        match (self, error) {
            (Self::Charged | Self::CodInitiated, Some(false)) => {
                NextStep::VerifyWithOrderStatusOnce
            }
            (Self::Charged | Self::CodInitiated, _) => NextStep::PollOrderStatusUntilFinal,
            (other, _) => other.required_next_step(),
        }
    }
}

open_enum! {
    /// `payload.status` of an `initiate_result` event.
    pub enum InitiateStatus {
        /// `success`: the SDK is initiated.
        Success = "success",
        /// `fail`: initiation failed.
        Fail = "fail",
        ;
        /// Any other status, kept as received.
        Unknown(String),
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::String;

    use super::*;

    #[test]
    fn every_row_of_the_table() {
        use NextStep::*;
        let rows: [(&str, NextStep); 13] = [
            ("charged", VerifyWithOrderStatusOnce),
            ("cod_initiated", VerifyWithOrderStatusOnce),
            ("backpressed", NoTransactionKeepSdkAlive),
            ("user_aborted", PollOrderStatusUntilFinal),
            ("pending_vbv", PollOrderStatusUntilFinal),
            ("authorizing", PollOrderStatusUntilFinal),
            ("authorization_failed", FailedPendingVerification),
            ("authentication_failed", FailedPendingVerification),
            ("api_failure", FailedPendingVerification),
            ("juspay_declined", FailedPendingVerification),
            ("new", PollOrderStatusUntilFinal),
            ("", PollOrderStatusUntilFinal),
            ("something_new", PollOrderStatusUntilFinal),
        ];
        for (wire, step) in rows {
            let status = ProcessStatus::from_wire(wire);
            assert_eq!(status.as_str(), wire);
            assert_eq!(status.required_next_step(), step, "{wire}");
        }
        assert_eq!(
            ProcessStatus::from_wire(""),
            ProcessStatus::Unknown(String::new())
        );
    }

    #[test]
    fn charged_with_error_is_not_trusted() {
        assert_eq!(
            ProcessStatus::Charged.required_next_step_given_error(Some(true)),
            NextStep::PollOrderStatusUntilFinal
        );
        assert_eq!(
            ProcessStatus::Charged.required_next_step_given_error(None),
            NextStep::PollOrderStatusUntilFinal
        );
        assert_eq!(
            ProcessStatus::Charged.required_next_step_given_error(Some(false)),
            NextStep::VerifyWithOrderStatusOnce
        );
        assert!(NextStep::VerifyWithOrderStatusOnce.requires_order_status());
        assert!(!NextStep::NoTransactionKeepSdkAlive.requires_order_status());
    }
}
