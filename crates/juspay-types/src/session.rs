//! The order session API (`POST /session`, `docs/spec/server-api.md`): [`SessionRequest`] and
//! `SessionResponse` (feature `serde`).

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{FieldError, Result};
use crate::form::{FormReader, FormWriter, parse_string, parse_with};
use crate::ids::{ClientId, MerchantId};
use crate::order::CreateOrderRequest;

/// The default `action` of a session: open the payment page.
pub const ACTION_PAYMENT_PAGE: &str = "paymentPage";

/// `POST /session` (JSON): an order plus the payment page parameters (`docs/spec/server-api.md`).
///
/// The body is a flat JSON object of strings: the order's dotted-key pairs
/// ([`CreateOrderRequest::to_form_pairs`]) followed by `payment_page_client_id`, `action`,
/// `merchant_id`, `first_name`, `last_name`. `Serialize` writes exactly that.
#[derive(Clone, Debug, PartialEq, Eq, typed_builder::TypedBuilder)]
#[builder(field_defaults(default, setter(strip_option, into)))]
#[non_exhaustive]
pub struct SessionRequest {
    /// The order.
    #[builder(!default, setter(!strip_option, !into))]
    pub order: CreateOrderRequest,
    /// `payment_page_client_id` (HDFC sandbox: `hdfcmaster`). The gateway needs one; a client
    /// configured with one fills it in when the request leaves it out.
    pub payment_page_client_id: Option<ClientId>,
    /// `action`; `paymentPage` when absent.
    pub action: Option<String>,
    /// `merchant_id` (HDFC kits send the bank-issued id).
    pub merchant_id: Option<MerchantId>,
    /// `first_name` of the customer.
    pub first_name: Option<String>,
    /// `last_name` of the customer.
    pub last_name: Option<String>,
}

impl SessionRequest {
    /// The body's pairs, in order (see the type's documentation); `action` is always written.
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        self.order.write_pairs(&mut w);
        w.opt(
            "payment_page_client_id",
            self.payment_page_client_id.as_ref(),
        );
        w.put(
            "action",
            self.action.as_deref().unwrap_or(ACTION_PAYMENT_PAGE),
        );
        w.opt("merchant_id", self.merchant_id.as_ref());
        w.opt("first_name", self.first_name.as_ref());
        w.opt("last_name", self.last_name.as_ref());
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        let order = CreateOrderRequest::read(r);
        let client = r.parse(
            "payment_page_client_id",
            parse_with(|s: &str| ClientId::new(s)),
        );
        Some(Self {
            action: r.parse("action", parse_string),
            merchant_id: r.parse("merchant_id", parse_with(|s: &str| MerchantId::new(s))),
            first_name: r.take("first_name"),
            last_name: r.take("last_name"),
            order: order?,
            payment_page_client_id: client,
        })
    }

    /// Every rule the order breaks ([`CreateOrderRequest::problems`]).
    pub fn problems(&self) -> Vec<FieldError> {
        self.order.problems()
    }

    /// Validates the order ([`CreateOrderRequest::validate`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFields`](crate::Error::InvalidFields) listing every problem.
    pub fn validate(&self) -> Result<()> {
        self.order.validate()
    }
}

form_readers!(SessionRequest, validated);
form_serde!(SessionRequest);

#[cfg(feature = "schemars")]
fixed_schema!(SessionRequest, {
    crate::schemas::order_request_schema(
        "POST /session: a flat JSON object of strings, the order's dotted keys plus the payment page parameters.",
        true,
    )
});

#[cfg(feature = "serde")]
pub use responses::*;

#[cfg(feature = "serde")]
mod responses {
    use alloc::string::String;

    use crate::order::PaymentLinks;
    use crate::secret::SecretString;
    use crate::status::OrderStatus;

    wire_struct! {
        /// The response of `POST /session` (the HDFC kits' sample).
        #[derive(Debug)]
        pub struct SessionResponse {
            /// `NEW` for a fresh session.
            pub status: OrderStatus,
            /// Juspay's id of the order (`ordeh_…`).
            pub id: String,
            /// The merchant's order id.
            pub order_id: String,
            /// Where to send the customer (`web`).
            #[serde(default)]
            pub payment_links: PaymentLinks,
            /// What to hand to the mobile/web SDK, kept losslessly.
            pub sdk_payload?: SdkPayload,
        }
    }

    wire_struct! {
        /// `sdk_payload` of a session: the HyperSDK `process` request.
        #[derive(Debug)]
        pub struct SdkPayload {
            /// `requestId`.
            #[serde(rename = "requestId", default, skip_serializing_if = "Option::is_none")]
            pub request_id: Option<String>,
            /// `service` (`in.juspay.hyperpay`).
            pub service?: String,
            /// `payload`.
            #[serde(default)]
            pub payload: SdkPayloadBody,
        }
    }

    wire_struct! {
        /// `sdk_payload.payload`: the client auth token (a secret) and everything else
        /// verbatim (`clientId`, `amount`, `orderId`, `options.getUpiDeepLinks`, …).
        #[derive(Debug, Default)]
        pub struct SdkPayloadBody {
            /// `clientAuthToken`: a short-lived token for the SDK; redacted in `Debug`.
            #[serde(
                rename = "clientAuthToken",
                default,
                skip_serializing_if = "Option::is_none",
                serialize_with = "crate::secret::serialize_exposed_option"
            )]
            #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
            pub client_auth_token: Option<SecretString>,
            /// `clientAuthTokenExpiry` (RFC 3339).
            #[cfg_attr(feature = "schemars", schemars(extend("format" = "date-time")))]
            #[serde(
                rename = "clientAuthTokenExpiry",
                default,
                skip_serializing_if = "Option::is_none"
            )]
            pub client_auth_token_expiry: Option<String>,
        }
    }
}
