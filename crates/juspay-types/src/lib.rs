#![doc = include_str!("../README.md")]
//!
//! # Crate layout
//!
//! * Values with rules: [`Amount`], [`Currency`], [`OrderId`], [`CustomerId`], [`MerchantId`],
//!   [`MandateId`], [`ClientId`], [`Email`], [`Phone`], [`GatewayId`]; secrets are [`SecretString`].
//! * Where the API lives: [`Tenant`], [`Environment`], [`BaseUrl`].
//! * Requests (form bodies with dotted keys, no `serde` needed): [`CreateOrderRequest`],
//!   [`SessionRequest`], [`RefundRequest`], [`TxnRefundRequest`], [`MandateParams`],
//!   [`MandateExecutionRequest`], [`MandateCommand`].
//! * Responses (feature `serde`): `CreateOrderResponse`, `SessionResponse`,
//!   `OrderStatusResponse`, `Refund`, `ErrorResponse`, `WebhookEvent`, …
//! * The mandatory-parameter table of `docs/spec/server-api.md`: [`Gateway`], [`gateway::MANDATORY_PARAMETERS`].
//!
//! `no_std` + `alloc`; `serde` (default) adds the JSON views and the response types;
//! `schemars` adds the JSON Schemas (`schemas::root_schemas`).
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[macro_use]
mod macros;
#[doc(hidden)]
pub use macros::__private;
#[macro_use]
pub mod form;

pub mod amount;
pub mod error;
#[cfg(feature = "serde")]
pub mod error_response;
pub mod gateway;
pub mod ids;
pub mod loose;
pub mod mandate;
pub mod order;
#[cfg(feature = "serde")]
pub mod order_status;
pub mod refund;
#[cfg(feature = "schemars")]
pub mod schemas;
pub mod secret;
pub mod session;
pub mod status;
pub mod tenant;
#[cfg(feature = "serde")]
pub mod webhook;

pub use amount::{Amount, AmountProblem, Currency};
pub use error::{Error, FieldError, Problem};
#[cfg(feature = "serde")]
pub use error_response::{ErrorField, ErrorInfo, ErrorResponse};
pub use gateway::{Gateway, Requirement};
pub use ids::{ClientId, CustomerId, Email, GatewayId, MandateId, MerchantId, OrderId, Phone};
pub use loose::{Loose, WireScalar};
pub use mandate::{
    AmountRule, CreateMandateOption, MandateCommand, MandateExecutionRequest, MandateFrequency,
    MandateParams, RuleType,
};
#[cfg(feature = "serde")]
pub use mandate::{MandateExecutionResponse, MandateRevokeResponse, TxnAuthentication, TxnPayment};
pub use order::{Address, CreateOrderRequest};
#[cfg(feature = "serde")]
pub use order::{ClientAuth, CreateOrderResponse, PaymentLinks};
#[cfg(feature = "serde")]
pub use order_status::{
    CardInfo, MandateDetails, OrderStatusResponse, PaymentGatewayResponse, TxnDetail,
};
#[cfg(feature = "serde")]
pub use refund::Refund;
pub use refund::{RefundRequest, TxnRefundRequest};
pub use secrecy::{self, ExposeSecret, SecretBox, SecretSlice, SecretString};
pub use session::SessionRequest;
#[cfg(feature = "serde")]
pub use session::{SdkPayload, SdkPayloadBody, SessionResponse};
pub use status::{
    MandateStatus, NotificationStatus, OrderStatus, PaymentMethodType, RefundStatus, RefundType,
};
pub use tenant::{BaseUrl, Environment, HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID, Tenant};
#[cfg(feature = "serde")]
pub use webhook::{Notification, WebhookContent, WebhookEvent, WebhookEventName};
