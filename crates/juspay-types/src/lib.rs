#![doc = include_str!("../README.md")]
//!
//! # Crate layout
//!
//! * Values with rules: [`Amount`], [`Currency`], [`OrderId`], [`CustomerId`], [`MerchantId`],
//!   [`MandateId`], [`ClientId`], [`Email`], [`Phone`], [`GatewayId`]; secrets are [`SecretString`].
//! * Where the API lives: [`Tenant`], [`Environment`], [`BaseUrl`].
//! * Requests (form bodies with dotted keys, no `serde` needed): [`CreateOrderRequest`],
//!   [`SessionRequest`], [`RefundRequest`], [`TxnRefundRequest`], [`MandateParams`],
//!   [`MandateExecutionRequest`], [`MandateCommand`]; server-to-server payments
//!   [`TxnRequest`] (answered by `TxnResponse` and its `NextAction`); customers
//!   [`CreateCustomerRequest`], [`UpdateCustomerRequest`]; saved cards [`ListCardsQuery`],
//!   [`DeleteCardRequest`]; wallets [`CreateWalletRequest`], [`WalletCommand`];
//!   [`PaymentMethodsQuery`]; [`UpdateOrderRequest`]; pre-authorisation [`CaptureRequest`],
//!   [`VoidRequest`] with the transition rules of [`capture`]; [`PaymentOptions`] of a
//!   payment link.
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
pub mod capture;
pub mod card;
pub mod customer;
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
pub mod order_update;
pub mod payment_method;
pub mod payment_options;
pub mod refund;
#[cfg(feature = "schemars")]
pub mod schemas;
pub mod secret;
pub mod session;
pub mod status;
pub mod tenant;
pub mod txn;
pub mod wallet;
#[cfg(feature = "serde")]
pub mod webhook;

pub use amount::{Amount, AmountProblem, Currency};
pub use capture::{CaptureRequest, PreAuthOp, VoidRequest, pre_auth_transition_allowed};
#[cfg(feature = "serde")]
pub use card::{CardList, DeletedCard, StoredCard};
pub use card::{DeleteCardRequest, ListCardsQuery};
#[cfg(feature = "serde")]
pub use customer::Customer;
pub use customer::{CreateCustomerRequest, GetCustomerQuery, UpdateCustomerRequest};
pub use error::{Error, FieldError, Problem};
#[cfg(feature = "serde")]
pub use error_response::{ErrorField, ErrorInfo, ErrorResponse};
pub use gateway::{Gateway, Requirement};
pub use ids::{
    ClientId, CustomerId, Email, GatewayId, MandateId, MerchantId, OrderId, Phone, TxnUuid,
};
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
pub use order_update::UpdateOrderRequest;
pub use payment_method::PaymentMethodsQuery;
#[cfg(feature = "serde")]
pub use payment_method::{Outage, PaymentMethod, PaymentMethods};
pub use payment_options::{PaymentOption, PaymentOptions};
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
pub use txn::{
    AuthType, CardDetails, PaymentChannel, PaymentInstrument, TxnForm, TxnOrder, TxnRequest,
};
#[cfg(feature = "serde")]
pub use txn::{NextAction, TxnResponse, upi_intent_uri};
pub use wallet::{CreateWalletRequest, WalletCommand};
#[cfg(feature = "serde")]
pub use wallet::{Wallet, WalletList};
#[cfg(feature = "serde")]
pub use webhook::{Notification, WebhookContent, WebhookEvent, WebhookEventName};
