//! Order creation: [`CreateOrderRequest`] (`POST /orders`, seed 002) and
//! `CreateOrderResponse` (feature `serde`).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::amount::{Amount, Currency};
use crate::error::{Error, FieldError, Problem, Result};
use crate::form::{FormPairs, FormReader, FormWriter, parse_amount, parse_string, parse_with};
use crate::gateway::{Gateway, MANDATORY_PARAMETERS};
use crate::ids::{CustomerId, Email, GatewayId, OrderId, Phone};
use crate::mandate::{CreateMandateOption, MandateParams};

/// A billing or shipping address. On the wire each field is
/// `billing_address_<name>` / `shipping_address_<name>` (seed 002).
#[derive(Clone, Debug, Default, PartialEq, Eq, typed_builder::TypedBuilder)]
#[builder(field_defaults(default, setter(strip_option, into)))]
#[non_exhaustive]
pub struct Address {
    /// `first_name`.
    pub first_name: Option<String>,
    /// `last_name`.
    pub last_name: Option<String>,
    /// `line1`.
    pub line1: Option<String>,
    /// `line2`.
    pub line2: Option<String>,
    /// `line3`.
    pub line3: Option<String>,
    /// `city`.
    pub city: Option<String>,
    /// `state`.
    pub state: Option<String>,
    /// `country`.
    pub country: Option<String>,
    /// `postal_code`.
    pub postal_code: Option<String>,
    /// `phone`.
    pub phone: Option<String>,
    /// `country_code_iso` (ISO 3166 alpha-3 or alpha-2, as the gateway expects).
    pub country_code_iso: Option<String>,
}

/// The field names of [`Address`], in wire order.
pub const ADDRESS_FIELDS: [&str; 11] = [
    "first_name",
    "last_name",
    "line1",
    "line2",
    "line3",
    "city",
    "state",
    "country",
    "postal_code",
    "phone",
    "country_code_iso",
];

impl Address {
    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.fields().iter().all(|(_, v)| v.is_none())
    }

    fn fields(&self) -> [(&'static str, Option<&String>); 11] {
        [
            ("first_name", self.first_name.as_ref()),
            ("last_name", self.last_name.as_ref()),
            ("line1", self.line1.as_ref()),
            ("line2", self.line2.as_ref()),
            ("line3", self.line3.as_ref()),
            ("city", self.city.as_ref()),
            ("state", self.state.as_ref()),
            ("country", self.country.as_ref()),
            ("postal_code", self.postal_code.as_ref()),
            ("phone", self.phone.as_ref()),
            ("country_code_iso", self.country_code_iso.as_ref()),
        ]
    }

    fn write(&self, prefix: &str, w: &mut FormWriter) {
        for (name, value) in self.fields() {
            w.opt(format!("{prefix}{name}"), value);
        }
    }

    fn read(prefix: &str, r: &mut FormReader) -> Self {
        let mut take = |name: &str| r.take(&format!("{prefix}{name}"));
        Self {
            first_name: take("first_name"),
            last_name: take("last_name"),
            line1: take("line1"),
            line2: take("line2"),
            line3: take("line3"),
            city: take("city"),
            state: take("state"),
            country: take("country"),
            postal_code: take("postal_code"),
            phone: take("phone"),
            country_code_iso: take("country_code_iso"),
        }
    }
}

/// `POST /orders`: every parameter of seed 002 (and seed 001's order details).
///
/// Build it with [`CreateOrderRequest::builder`]: `order_id` and `amount` are required at
/// compile time, everything else is optional. [`Self::validate`] reports every rule a built
/// request breaks; [`Self::check_for_gateway`] reports every field the backend gateway
/// requires (seed 002's table); [`Self::to_form_pairs`] gives the dotted-key form body.
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
    /// `return_url`: fully qualified, without query parameters (seed 001).
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
/// spaces only (decision; seed 003 gives `abc5349` as the example).
fn udf_plain_problem(value: &str) -> Option<Problem> {
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
    pub fn to_form_pairs(&self) -> FormPairs {
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
        if let Some(o) = self.create_mandate {
            w.put("options.create_mandate", o.as_str());
        }
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

    /// Reads a form body (the inverse of [`Self::to_form_pairs`]). Keys this type does not
    /// know are errors. `mandate` is `Some` exactly when a `mandate.*` key is present, so a
    /// request whose `mandate` is `Some` with no field set (it writes no pairs) reads back
    /// with `mandate: None`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFields`] with every missing, malformed or unknown key.
    pub fn from_form_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<Self> {
        let mut r = FormReader::new(pairs);
        let order = Self::read(&mut r);
        r.finish()?;
        // `read` returns None only after recording a problem, so `finish` failed above.
        order.ok_or_else(|| Error::InvalidFields(Vec::new()))
    }

    pub(crate) fn read(r: &mut FormReader) -> Option<Self> {
        let order_id = r.required("order_id", parse_with(|s: &str| OrderId::new(s)));
        let amount = r.required("amount", parse_amount);
        let currency = r.parse("currency", parse_with(|s: &str| Currency::new(s)));
        let customer_id = r.parse("customer_id", parse_with(|s: &str| CustomerId::new(s)));
        let customer_email = r.parse("customer_email", parse_with(|s: &str| Email::new(s)));
        let customer_phone = r.parse("customer_phone", parse_with(|s: &str| Phone::new(s)));
        let description = r.parse("description", parse_string);
        let product_id = r.parse("product_id", parse_string);
        let billing_address = Address::read("billing_address_", r);
        let shipping_address = Address::read("shipping_address_", r);
        let return_url = r.take("return_url");
        let udf = |r: &mut FormReader, n: &str| r.take(n);
        let (udf1, udf2, udf3, udf4, udf5) = (
            udf(r, "udf1"),
            udf(r, "udf2"),
            udf(r, "udf3"),
            udf(r, "udf4"),
            udf(r, "udf5"),
        );
        let (udf6, udf7, udf8, udf9, udf10) = (
            udf(r, "udf6"),
            udf(r, "udf7"),
            udf(r, "udf8"),
            udf(r, "udf9"),
            udf(r, "udf10"),
        );
        let gateway_id = r.parse("gateway_id", parse_with(|s: &str| GatewayId::parse(s)));
        let metadata = r.take_prefixed("metadata.");
        let create_mandate = r.parse("options.create_mandate", |s| {
            CreateMandateOption::from_wire(s)
                .ok_or(Problem::InvalidFormat("REQUIRED, OPTIONAL or DISABLED"))
        });
        let get_client_auth_token =
            r.parse("options.get_client_auth_token", crate::form::parse_bool);
        let mandate = if r.has_prefix("mandate.") {
            Some(MandateParams::read(r, "mandate."))
        } else {
            None
        };
        Some(Self {
            order_id: order_id?,
            amount: amount?,
            currency,
            customer_id,
            customer_email,
            customer_phone,
            description,
            product_id,
            billing_address,
            shipping_address,
            return_url,
            udf1,
            udf2,
            udf3,
            udf4,
            udf5,
            udf6,
            udf7,
            udf8,
            udf9,
            udf10,
            gateway_id,
            metadata,
            create_mandate,
            get_client_auth_token,
            mandate,
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

    /// The parameters `gateway` requires (seed 002's "Yes" cells) that this order lacks, in
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

    /// Checks the order against `gateway`'s mandatory parameters (seed 002).
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

form_serde!(CreateOrderRequest);

#[cfg(feature = "serde")]
pub use responses::*;

#[cfg(feature = "serde")]
mod responses {
    use alloc::collections::BTreeMap;
    use alloc::string::String;

    use serde_json::Value;

    use crate::loose::Loose;
    use crate::status::OrderStatus;

    /// `payment_links` (seed 002): where to send the customer.
    #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct PaymentLinks {
        /// Desktop-optimised checkout page.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub web: Option<String>,
        /// Mobile-optimised checkout page (`?mobile=true`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub mobile: Option<String>,
        /// Checkout page for an iframe.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub iframe: Option<String>,
        /// Fields this crate does not model, kept verbatim.
        #[serde(flatten)]
        pub extra: BTreeMap<String, Value>,
    }

    /// The response of `POST /orders` (seed 002's sample).
    #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct CreateOrderResponse {
        /// `CREATED` or `NEW`.
        pub status: OrderStatus,
        /// Numeric status (1 in seed 002's sample).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub status_id: Option<Loose<u32>>,
        /// Juspay's id of the order (`ord_…`, `ordeh_…`).
        pub id: String,
        /// The merchant's order id.
        pub order_id: String,
        /// Where to send the customer.
        #[serde(default)]
        pub payment_links: PaymentLinks,
        /// `sdk_payload`: what to hand to the SDK, when the order was created for one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sdk_payload: Option<crate::session::SdkPayload>,
        /// `juspay`: the client auth token for the SDK (newer API versions).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub juspay: Option<ClientAuth>,
        /// Fields this crate does not model, kept verbatim.
        #[serde(flatten)]
        pub extra: BTreeMap<String, Value>,
    }

    /// `juspay` of a create-order response: `{client_auth_token, client_auth_token_expiry}`.
    #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct ClientAuth {
        /// Short-lived token for the SDK; redacted in `Debug`.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            serialize_with = "crate::secret::serialize_exposed_option"
        )]
        pub client_auth_token: Option<crate::Secret<String>>,
        /// Expiry of the token (RFC 3339).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub client_auth_token_expiry: Option<String>,
        /// Fields this crate does not model, kept verbatim.
        #[serde(flatten)]
        pub extra: BTreeMap<String, Value>,
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for CreateOrderRequest {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "CreateOrderRequest".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schemas::order_request_schema(
            "POST /orders: the dotted-key form body as a flat JSON object of strings.",
            false,
        )
    }
}

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
