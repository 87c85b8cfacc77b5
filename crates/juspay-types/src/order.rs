//! Order creation: [`CreateOrderRequest`] (`POST /orders`, `docs/spec/server-api.md`) and
//! `CreateOrderResponse` (feature `serde`).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::amount::{Amount, Currency};
use crate::error::{Error, FieldError, Problem, Result};
use crate::form::{FormReader, FormWriter, amount_value, parse_bool, parse_string, parse_with};
use crate::gateway::{Gateway, MANDATORY_PARAMETERS};
use crate::ids::{CustomerId, Email, GatewayId, OrderId, Phone};
use crate::mandate::{CreateMandateOption, MandateParams};

/// Declares [`Address`] (every field an `Option<String>`) with its field list written once:
/// [`ADDRESS_FIELDS`], and the private `fields` and `read`.
macro_rules! address {
    ($(#[$m:meta])* pub struct Address { $($(#[$fm:meta])* pub $f:ident,)* }) => {
        $(#[$m])*
        pub struct Address { $($(#[$fm])* pub $f: Option<String>,)* }

        /// The field names of [`Address`], in wire order.
        pub const ADDRESS_FIELDS: [&str; 11] = [$(stringify!($f)),*];

        impl Address {
            fn fields(&self) -> [(&'static str, Option<&String>); 11] {
                [$((stringify!($f), self.$f.as_ref())),*]
            }

            pub(crate) fn read(prefix: &str, r: &mut FormReader) -> Self {
                Self { $($f: r.take(&format!("{prefix}{}", stringify!($f))),)* }
            }
        }
    };
}

address! {
    /// A billing or shipping address. On the wire each field is
    /// `billing_address_<name>` / `shipping_address_<name>` (`docs/spec/server-api.md`).
    #[derive(Clone, Debug, Default, PartialEq, Eq, typed_builder::TypedBuilder)]
    #[builder(field_defaults(default, setter(strip_option, into)))]
    #[non_exhaustive]
    pub struct Address {
        /// `first_name`.
        pub first_name,
        /// `last_name`.
        pub last_name,
        /// `line1`.
        pub line1,
        /// `line2`.
        pub line2,
        /// `line3`.
        pub line3,
        /// `city`.
        pub city,
        /// `state`.
        pub state,
        /// `country`.
        pub country,
        /// `postal_code`.
        pub postal_code,
        /// `phone`.
        pub phone,
        /// `country_code_iso` (ISO 3166 alpha-3 or alpha-2, as the gateway expects).
        pub country_code_iso,
    }
}

impl Address {
    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.fields().iter().all(|(_, v)| v.is_none())
    }

    pub(crate) fn write(&self, prefix: &str, w: &mut FormWriter) {
        for (name, value) in self.fields() {
            w.opt(format!("{prefix}{name}"), value);
        }
    }
}

/// `POST /orders`: every order parameter of `docs/spec/server-api.md` (Operations, Field rules).
///
/// Build it with [`CreateOrderRequest::builder`]: `order_id` and `amount` are required at
/// compile time, everything else is optional. [`Self::validate`] reports every rule a built
/// request breaks; [`Self::check_for_gateway`] reports every field the backend gateway
/// requires (the mandatory-parameter table); [`Self::to_form_pairs`] gives the dotted-key form body.
///
/// `Serialize` writes the same pairs as a flat JSON object of strings (the `/session` body
/// and the published JSON Schema use this view); `Deserialize` reads such an object, with
/// numbers and booleans accepted as values.
///
/// ```
/// use juspay_types::{Amount, CreateOrderRequest, OrderId};
/// let order = CreateOrderRequest::builder()
///     .order_id(OrderId::new("ord_007")?)
///     .amount("10.00".parse::<Amount>()?)
///     .description("Order Info")
///     .build();
/// order.validate()?;
/// assert_eq!(order.to_form_pairs()[1], ("amount".into(), "10.00".into()));
/// # Ok::<(), juspay_types::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, typed_builder::TypedBuilder)]
#[builder(field_defaults(default, setter(strip_option, into)))]
#[non_exhaustive]
pub struct CreateOrderRequest {
    /// `order_id`: unique per merchant.
    #[builder(!default, setter(!strip_option))]
    pub order_id: OrderId,
    /// `amount`.
    #[builder(!default, setter(!strip_option))]
    pub amount: Amount,
    /// `currency`; absent means the gateway's default, INR.
    pub currency: Option<Currency>,
    /// `customer_id`; the empty id is a guest.
    pub customer_id: Option<CustomerId>,
    /// `customer_email`.
    pub customer_email: Option<Email>,
    /// `customer_phone`.
    pub customer_phone: Option<Phone>,
    /// `description`: shown to the customer, passed to gateways that take one.
    pub description: Option<String>,
    /// `product_id`.
    pub product_id: Option<String>,
    /// `billing_address_*`.
    #[builder(setter(!strip_option))]
    pub billing_address: Address,
    /// `shipping_address_*`.
    #[builder(setter(!strip_option))]
    pub shipping_address: Address,
    /// `return_url`: fully qualified, without query parameters (`docs/spec/server-api.md`, Field rules).
    pub return_url: Option<String>,
    /// `udf1`: no special characters (letters, digits, spaces).
    pub udf1: Option<String>,
    /// `udf2`: no special characters.
    pub udf2: Option<String>,
    /// `udf3`: no special characters.
    pub udf3: Option<String>,
    /// `udf4`: no special characters.
    pub udf4: Option<String>,
    /// `udf5`: no special characters.
    pub udf5: Option<String>,
    /// `udf6`: special characters allowed.
    pub udf6: Option<String>,
    /// `udf7`: special characters allowed.
    pub udf7: Option<String>,
    /// `udf8`: special characters allowed.
    pub udf8: Option<String>,
    /// `udf9`: special characters allowed.
    pub udf9: Option<String>,
    /// `udf10`: special characters allowed.
    pub udf10: Option<String>,
    /// `gateway_id`: preferred backend gateway (12 = PayU, 18 = Paytm).
    pub gateway_id: Option<GatewayId>,
    /// `metadata.<key>`: gateway-specific parameters (`JUSPAY:gateway_reference_id`, …).
    #[builder(setter(!strip_option))]
    pub metadata: BTreeMap<String, String>,
    /// `options.create_mandate`.
    pub create_mandate: Option<CreateMandateOption>,
    /// `options.get_client_auth_token`: ask for a client auth token for the SDK (answered
    /// in `CreateOrderResponse::juspay`).
    pub get_client_auth_token: Option<bool>,
    /// `mandate.*`.
    pub mandate: Option<MandateParams>,
}

/// The keys of a create-order body in the order [`CreateOrderRequest::to_form_pairs`]
/// writes them (address fields expanded; `metadata.*` and `mandate.*` by prefix).
pub const ORDER_SIMPLE_KEYS: [&str; 8] = [
    "order_id",
    "amount",
    "currency",
    "customer_id",
    "customer_email",
    "customer_phone",
    "description",
    "product_id",
];

/// Whether a `udf1`–`udf5` value is free of special characters: ASCII letters, digits and
/// spaces only (decision; `docs/spec/server-api.md`, Field rules, gives `abc5349` as the example).
pub(crate) fn udf_plain_problem(value: &str) -> Option<Problem> {
    value
        .chars()
        .position(|c| !(c.is_ascii_alphanumeric() || c == ' '))
        .map(|index| Problem::InvalidCharacter { index })
}

impl CreateOrderRequest {
    fn udfs(&self) -> [(&'static str, Option<&String>); 10] {
        [
            ("udf1", self.udf1.as_ref()),
            ("udf2", self.udf2.as_ref()),
            ("udf3", self.udf3.as_ref()),
            ("udf4", self.udf4.as_ref()),
            ("udf5", self.udf5.as_ref()),
            ("udf6", self.udf6.as_ref()),
            ("udf7", self.udf7.as_ref()),
            ("udf8", self.udf8.as_ref()),
            ("udf9", self.udf9.as_ref()),
            ("udf10", self.udf10.as_ref()),
        ]
    }

    /// The dotted-key form body, in a fixed order: `order_id`, `amount`, `currency`,
    /// `customer_id`, `customer_email`, `customer_phone`, `description`, `product_id`,
    /// `billing_address_*`, `shipping_address_*` (in [`ADDRESS_FIELDS`] order), `return_url`,
    /// `udf1`…`udf10`, `gateway_id`, `metadata.<key>` (keys sorted), `options.create_mandate`,
    /// `options.get_client_auth_token`, `mandate.*` (in [`MANDATE_PARAM_NAMES`](crate::mandate::MANDATE_PARAM_NAMES) order).
    /// Absent fields are not written. Values are not URL-encoded.
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        self.write_pairs(&mut w);
        w.finish()
    }

    pub(crate) fn write_pairs(&self, w: &mut FormWriter) {
        w.put("order_id", self.order_id.as_str());
        w.put("amount", format!("{}", self.amount));
        w.opt("currency", self.currency.as_ref());
        w.opt("customer_id", self.customer_id.as_ref());
        w.opt("customer_email", self.customer_email.as_ref());
        w.opt("customer_phone", self.customer_phone.as_ref());
        w.opt("description", self.description.as_ref());
        w.opt("product_id", self.product_id.as_ref());
        self.billing_address.write("billing_address_", w);
        self.shipping_address.write("shipping_address_", w);
        w.opt("return_url", self.return_url.as_ref());
        for (name, value) in self.udfs() {
            w.opt(name, value);
        }
        w.opt("gateway_id", self.gateway_id.as_ref());
        for (k, v) in &self.metadata {
            w.put(format!("metadata.{k}"), v.as_str());
        }
        w.opt("options.create_mandate", self.create_mandate.as_ref());
        w.opt(
            "options.get_client_auth_token",
            self.get_client_auth_token.as_ref(),
        );
        if let Some(m) = &self.mandate {
            for (k, v) in m.pairs_with_prefix("mandate.") {
                w.put(k, v);
            }
        }
    }

    /// Reads the fields; `mandate` is `Some` exactly when a `mandate.*` key is present, so a
    /// request whose `mandate` is `Some` with no field set (it writes no pairs) reads back
    /// with `mandate: None`.
    pub(crate) fn read(r: &mut FormReader) -> Option<Self> {
        let order_id = r.required("order_id", parse_with(|s: &str| OrderId::new(s)));
        let amount = r.required("amount", amount_value);
        // The fields are read (and their problems recorded) in the order written here.
        Some(Self {
            currency: r.parse("currency", parse_with(|s: &str| Currency::new(s))),
            customer_id: r.parse("customer_id", parse_with(|s: &str| CustomerId::new(s))),
            customer_email: r.parse("customer_email", parse_with(|s: &str| Email::new(s))),
            customer_phone: r.parse("customer_phone", parse_with(|s: &str| Phone::new(s))),
            description: r.parse("description", parse_string),
            product_id: r.parse("product_id", parse_string),
            billing_address: Address::read("billing_address_", r),
            shipping_address: Address::read("shipping_address_", r),
            return_url: r.take("return_url"),
            udf1: r.take("udf1"),
            udf2: r.take("udf2"),
            udf3: r.take("udf3"),
            udf4: r.take("udf4"),
            udf5: r.take("udf5"),
            udf6: r.take("udf6"),
            udf7: r.take("udf7"),
            udf8: r.take("udf8"),
            udf9: r.take("udf9"),
            udf10: r.take("udf10"),
            gateway_id: r.parse("gateway_id", parse_with(|s: &str| GatewayId::parse(s))),
            metadata: r.take_prefixed("metadata."),
            create_mandate: r.parse("options.create_mandate", |s| {
                CreateMandateOption::from_wire(s)
                    .ok_or(Problem::InvalidFormat("REQUIRED, OPTIONAL or DISABLED"))
            }),
            get_client_auth_token: r.parse("options.get_client_auth_token", parse_bool),
            mandate: r
                .has_prefix("mandate.")
                .then(|| MandateParams::read_prefixed(r, "mandate.")),
            order_id: order_id?,
            amount: amount?,
        })
    }

    /// Every rule this request breaks, in wire order (see [`Self::validate`]).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if let Some(url) = &self.return_url
            && let Err(p) = crate::tenant::url_problem(url)
        {
            out.push(FieldError::new("return_url", p));
        }
        for (name, value) in self.udfs().into_iter().take(5) {
            if let Some(p) = value.and_then(|v| udf_plain_problem(v)) {
                out.push(FieldError::new(name, p));
            }
        }
        for key in self.metadata.keys() {
            if key.is_empty() {
                out.push(FieldError::new("metadata.", Problem::Empty));
            }
        }
        let creates_mandate = matches!(
            self.create_mandate,
            Some(CreateMandateOption::Required | CreateMandateOption::Optional)
        );
        match (&self.mandate, creates_mandate) {
            (Some(m), true) => out.extend(m.problems_with_prefix("mandate.", Some(self.amount))),
            (None, true) => {
                out.extend(
                    MandateParams::default().problems_with_prefix("mandate.", Some(self.amount)),
                );
            }
            (Some(_), false) => out.push(FieldError::new(
                "options.create_mandate",
                Problem::Conflict(
                    "mandate parameters given but create_mandate is not REQUIRED or OPTIONAL",
                ),
            )),
            (None, false) => {}
        }
        out
    }

    /// Checks the rules the types cannot: `return_url` fully qualified without query
    /// parameters or fragment; `udf1`–`udf5` free of special characters (ASCII letters,
    /// digits, spaces); metadata keys non-empty; mandate parameters valid when
    /// `options.create_mandate` is REQUIRED or OPTIONAL, and absent otherwise.
    ///
    /// The SDK's stricter order-id rule is separate: [`OrderId::check_sdk_rule`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFields`] listing every problem.
    pub fn validate(&self) -> Result<()> {
        Error::from_list(self.problems())
    }

    /// The parameters `gateway` requires (the "Yes" cells of the mandatory-parameter table) that this order lacks, in
    /// table order. A field counts as present when it is set and not empty, except
    /// `customer_id`, where the empty guest id counts as present.
    pub fn missing_for_gateway(&self, gateway: Gateway) -> Vec<&'static str> {
        let pairs = self.to_form_pairs();
        MANDATORY_PARAMETERS
            .iter()
            .filter(|(name, _)| gateway.requirement(name).is_some_and(|r| r.is_required()))
            .filter(|(name, _)| {
                !pairs
                    .iter()
                    .any(|(k, v)| k == name && (!v.trim().is_empty() || *name == "customer_id"))
            })
            .map(|(name, _)| *name)
            .collect()
    }

    /// Checks the order against `gateway`'s mandatory parameters (`docs/spec/server-api.md`, Field rules).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFields`] with one [`Problem::RequiredByGateway`] per missing field.
    pub fn check_for_gateway(&self, gateway: Gateway) -> Result<()> {
        Error::from_list(
            self.missing_for_gateway(gateway)
                .into_iter()
                .map(|name| FieldError::new(name, Problem::RequiredByGateway(gateway)))
                .collect(),
        )
    }
}

form_readers!(CreateOrderRequest, validated);
form_serde!(CreateOrderRequest);

#[cfg(feature = "serde")]
pub use responses::*;

#[cfg(feature = "serde")]
mod responses {
    use alloc::string::String;

    use crate::loose::Loose;
    use crate::status::OrderStatus;

    wire_struct! {
        /// `payment_links` (`docs/spec/server-api.md`, Operations): where to send the customer.
        #[derive(Debug, Default, PartialEq)]
        pub struct PaymentLinks {
            /// Desktop-optimised checkout page.
            #[cfg_attr(feature = "schemars", schemars(extend("format" = "uri")))]
            pub web?: String,
            /// Mobile-optimised checkout page (`?mobile=true`).
            #[cfg_attr(feature = "schemars", schemars(extend("format" = "uri")))]
            pub mobile?: String,
            /// Checkout page for an iframe.
            #[cfg_attr(feature = "schemars", schemars(extend("format" = "uri")))]
            pub iframe?: String,
        }
    }

    wire_struct! {
        /// The response of `POST /orders` (the sample of `docs/spec/server-api.md`).
        #[derive(Debug)]
        pub struct CreateOrderResponse {
            /// `CREATED` or `NEW`.
            pub status: OrderStatus,
            /// Numeric status (1 in the create-order sample).
            pub status_id?: Loose<u32>,
            /// Juspay's id of the order (`ord_…`, `ordeh_…`).
            pub id: String,
            /// The merchant's order id.
            pub order_id: String,
            /// Where to send the customer.
            #[serde(default)]
            pub payment_links: PaymentLinks,
            /// `sdk_payload`: what to hand to the SDK, when the order was created for one.
            pub sdk_payload?: crate::session::SdkPayload,
            /// `juspay`: the client auth token for the SDK (newer API versions).
            pub juspay?: ClientAuth,
        }
    }

    wire_struct! {
        /// `juspay` of a create-order response: `{client_auth_token, client_auth_token_expiry}`.
        #[derive(Debug, Default)]
        pub struct ClientAuth {
            /// Short-lived token for the SDK; redacted in `Debug`.
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                serialize_with = "crate::secret::serialize_exposed_option"
            )]
            #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
            pub client_auth_token: Option<crate::SecretString>,
            /// Expiry of the token (RFC 3339).
            #[cfg_attr(feature = "schemars", schemars(extend("format" = "date-time")))]
            pub client_auth_token_expiry?: String,
        }
    }
}

#[cfg(feature = "schemars")]
fixed_schema!(CreateOrderRequest, {
    crate::schemas::order_request_schema(
        "POST /orders: the dotted-key form body as a flat JSON object of strings.",
        false,
    )
});

#[cfg(test)]
mod tests {
    use alloc::vec;

    use super::*;

    fn order() -> CreateOrderRequest {
        CreateOrderRequest::builder()
            .order_id(OrderId::new("ord_1").unwrap())
            .amount(Amount::from_minor_units(100))
            .build()
    }

    #[test]
    fn udf1_to_5_reject_special_characters_udf6_to_10_allow_them() {
        let mut o = order();
        o.udf1 = Some("abc 5349".into());
        o.udf5 = Some("x_y".into());
        o.udf6 = Some("x_y&z".into());
        assert_eq!(
            o.problems(),
            vec![FieldError::new(
                "udf5",
                Problem::InvalidCharacter { index: 1 }
            )]
        );
    }

    #[test]
    fn return_url_rules() {
        for (url, ok) in [
            ("https://shop.merchant.com/return", true),
            ("http://localhost:5000/handlePaymentResponse.php", true),
            ("https://shop.merchant.com/return?x=1", false),
            ("https://shop.merchant.com/return#top", false),
            ("shop.merchant.com/return", false),
            ("https://", false),
            ("", false),
        ] {
            let mut o = order();
            o.return_url = Some(url.into());
            assert_eq!(o.validate().is_ok(), ok, "{url}");
        }
    }

    #[test]
    fn options_and_metadata_pairs() {
        let mut o = order();
        o.get_client_auth_token = Some(true);
        o.metadata.insert("b".into(), "2".into());
        o.metadata.insert("a".into(), "1".into());
        let pairs = o.to_form_pairs();
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "order_id",
                "amount",
                "metadata.a",
                "metadata.b",
                "options.get_client_auth_token"
            ]
        );
        assert_eq!(CreateOrderRequest::from_form_pairs(&pairs).unwrap(), o);
        let mut empty_key = order();
        empty_key.metadata.insert(String::new(), "x".into());
        assert!(empty_key.validate().is_err());
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let err = CreateOrderRequest::from_form_pairs(&[
            ("order_id", "a"),
            ("order_id", "b"),
            ("amount", "1"),
        ])
        .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "order_id");
    }
}
