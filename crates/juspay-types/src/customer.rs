//! Customers (`docs/spec/payments.md`): [`CreateCustomerRequest`] (`POST /customers`),
//! [`UpdateCustomerRequest`] (`POST /customers/{id}`), [`GetCustomerQuery`]
//! (`GET /customers/{id}`) and the `Customer` they answer (feature `serde`).
//!
//! `{id}` is Juspay's id (`cst_…`) or the merchant's `object_reference_id`. Contact data
//! (`mobile_number`, `email_address`) is held in [`Phone`] and [`Email`], whose `Debug` is
//! masked.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, FieldError, Problem, Result};
use crate::form::{FormReader, FormWriter, parse_bool, parse_string, parse_with};
use crate::ids::{Email, Phone};

/// `object_reference_id`: the merchant's id of the customer; "at least 8 characters" (the
/// Node SDK's rule), at most 128 printable ASCII characters without spaces (decision).
fn reference_problem(v: &str) -> Option<Problem> {
    let len = v.chars().count();
    if len < 8 {
        return Some(Problem::InvalidFormat("at least 8 characters"));
    }
    if len > 128 {
        return Some(Problem::TooLong { max: 128 });
    }
    v.chars()
        .position(|c| !c.is_ascii_graphic())
        .map(|index| Problem::InvalidCharacter { index })
}

/// `mobile_country_code`: 1–4 digits, no `+`.
fn country_code_problem(v: &str) -> Option<Problem> {
    (v.is_empty() || v.len() > 4 || !v.bytes().all(|b| b.is_ascii_digit()))
        .then_some(Problem::InvalidFormat("1 to 4 digits, without +"))
}

/// `POST /customers` (form): create a customer.
///
/// **Decision:** `object_reference_id` and `mobile_number` are required, `email_address`
/// optional (sources disagree on the email). `options.get_client_auth_token=true` asks for
/// a client auth token (15 minutes) in the answer's `juspay`.
#[derive(Clone, Debug, PartialEq, Eq, typed_builder::TypedBuilder)]
#[builder(field_defaults(default, setter(strip_option, into)))]
#[non_exhaustive]
pub struct CreateCustomerRequest {
    /// `object_reference_id`: unique per merchant, at least 8 characters.
    #[builder(!default, setter(!strip_option))]
    pub object_reference_id: String,
    /// `mobile_number`.
    #[builder(!default, setter(!strip_option, !into))]
    pub mobile_number: Phone,
    /// `mobile_country_code` (`91`, without `+`).
    pub mobile_country_code: Option<String>,
    /// `email_address`.
    #[builder(setter(!into))]
    pub email_address: Option<Email>,
    /// `first_name`.
    pub first_name: Option<String>,
    /// `last_name`.
    pub last_name: Option<String>,
    /// `options.get_client_auth_token`.
    pub get_client_auth_token: Option<bool>,
}

impl CreateCustomerRequest {
    /// `object_reference_id`, `mobile_number`, `mobile_country_code`, `email_address`,
    /// `first_name`, `last_name`, `options.get_client_auth_token` (absent ones skipped).
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        w.put("object_reference_id", self.object_reference_id.as_str());
        w.put("mobile_number", self.mobile_number.as_str());
        write_common(
            &mut w,
            self.mobile_country_code.as_ref(),
            self.email_address.as_ref(),
            self.first_name.as_ref(),
            self.last_name.as_ref(),
        );
        w.opt(
            "options.get_client_auth_token",
            self.get_client_auth_token.as_ref(),
        );
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        let object_reference_id = r.required("object_reference_id", parse_string);
        let mobile_number = r.required("mobile_number", parse_with(|s: &str| Phone::new(s)));
        Some(Self {
            mobile_country_code: r.parse("mobile_country_code", parse_string),
            email_address: r.parse("email_address", parse_with(|s: &str| Email::new(s))),
            first_name: r.parse("first_name", parse_string),
            last_name: r.parse("last_name", parse_string),
            get_client_auth_token: r.parse("options.get_client_auth_token", parse_bool),
            object_reference_id: object_reference_id?,
            mobile_number: mobile_number?,
        })
    }

    /// Every rule the request breaks: `object_reference_id` (8–128 printable ASCII, no
    /// spaces), `mobile_country_code` (digits, no `+`).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if let Some(p) = reference_problem(&self.object_reference_id) {
            out.push(FieldError::new("object_reference_id", p));
        }
        if let Some(p) = self
            .mobile_country_code
            .as_deref()
            .and_then(country_code_problem)
        {
            out.push(FieldError::new("mobile_country_code", p));
        }
        out
    }

    /// Checks [`Self::problems`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFields`] listing every problem.
    pub fn validate(&self) -> Result<()> {
        Error::from_list(self.problems())
    }
}

fn write_common(
    w: &mut FormWriter,
    country: Option<&String>,
    email: Option<&Email>,
    first: Option<&String>,
    last: Option<&String>,
) {
    w.opt("mobile_country_code", country);
    w.opt("email_address", email);
    w.opt("first_name", first);
    w.opt("last_name", last);
}

form_readers!(CreateCustomerRequest, validated);
form_serde!(CreateCustomerRequest);

/// `POST /customers/{id}` (form): change a customer's contact fields; at least one is
/// required.
#[derive(Clone, Debug, Default, PartialEq, Eq, typed_builder::TypedBuilder)]
#[builder(field_defaults(default, setter(strip_option, into)))]
#[non_exhaustive]
pub struct UpdateCustomerRequest {
    /// `mobile_number`.
    #[builder(setter(!into))]
    pub mobile_number: Option<Phone>,
    /// `mobile_country_code`.
    pub mobile_country_code: Option<String>,
    /// `email_address`.
    #[builder(setter(!into))]
    pub email_address: Option<Email>,
    /// `first_name`.
    pub first_name: Option<String>,
    /// `last_name`.
    pub last_name: Option<String>,
}

impl UpdateCustomerRequest {
    /// `mobile_number`, `mobile_country_code`, `email_address`, `first_name`, `last_name`
    /// (absent ones skipped).
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        w.opt("mobile_number", self.mobile_number.as_ref());
        write_common(
            &mut w,
            self.mobile_country_code.as_ref(),
            self.email_address.as_ref(),
            self.first_name.as_ref(),
            self.last_name.as_ref(),
        );
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        Some(Self {
            mobile_number: r.parse("mobile_number", parse_with(|s: &str| Phone::new(s))),
            mobile_country_code: r.parse("mobile_country_code", parse_string),
            email_address: r.parse("email_address", parse_with(|s: &str| Email::new(s))),
            first_name: r.parse("first_name", parse_string),
            last_name: r.parse("last_name", parse_string),
        })
    }

    /// Every rule the request breaks: nothing to update, a malformed `mobile_country_code`.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.to_form_pairs().is_empty() {
            out.push(FieldError::new(
                "mobile_number",
                Problem::Conflict("nothing to update: give at least one field"),
            ));
        }
        if let Some(p) = self
            .mobile_country_code
            .as_deref()
            .and_then(country_code_problem)
        {
            out.push(FieldError::new("mobile_country_code", p));
        }
        out
    }

    /// Checks [`Self::problems`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFields`] listing every problem.
    pub fn validate(&self) -> Result<()> {
        Error::from_list(self.problems())
    }
}

form_readers!(UpdateCustomerRequest, validated);
form_serde!(UpdateCustomerRequest);

/// The query of `GET /customers/{id}`: `options.get_client_auth_token=true` when asked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetCustomerQuery {
    /// `options.get_client_auth_token`: answer with a client auth token in `juspay`.
    pub get_client_auth_token: bool,
}

impl GetCustomerQuery {
    /// A query asking for a client auth token.
    pub const fn with_client_auth_token() -> Self {
        Self {
            get_client_auth_token: true,
        }
    }

    /// The query pairs (none when nothing is asked).
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        if self.get_client_auth_token {
            w.put("options.get_client_auth_token", "true");
        }
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        Some(Self {
            get_client_auth_token: r
                .parse("options.get_client_auth_token", parse_bool)
                .unwrap_or(false),
        })
    }
}

form_readers!(GetCustomerQuery, received);

#[cfg(feature = "schemars")]
fixed_schema!(CreateCustomerRequest, {
    crate::schemas::customer_schema(true)
});
#[cfg(feature = "schemars")]
fixed_schema!(UpdateCustomerRequest, {
    crate::schemas::customer_schema(false)
});

#[cfg(feature = "serde")]
pub use responses::*;

#[cfg(feature = "serde")]
mod responses {
    use alloc::string::String;

    use crate::ids::{Email, Phone};
    use crate::order::ClientAuth;

    wire_struct! {
        /// A customer: the answer of create, get and update.
        ///
        /// **Decision:** the id is read from `id`, or `customer_id` when an answer names it
        /// so. `juspay` (the client auth token) is present only when asked for. Contact
        /// fields are kept as text (the gateway's samples do not always pass
        /// [`Email`]/[`Phone`]); read them typed with [`Self::email`] and [`Self::phone`].
        /// `Debug` shows only `id`: the other fields are contact data (the samples use an
        /// email address as `object_reference_id`).
        pub struct Customer {
            /// Juspay's id (`cst_…`).
            #[serde(alias = "customer_id")]
            pub id: String,
            /// `customer`.
            pub object?: String,
            /// The merchant's id of the customer.
            pub object_reference_id?: String,
            /// Country code without `+`.
            pub mobile_country_code?: String,
            /// Mobile number.
            pub mobile_number?: String,
            /// Email address.
            pub email_address?: String,
            /// First name.
            pub first_name?: String,
            /// Last name.
            pub last_name?: String,
            /// Creation time.
            #[cfg_attr(feature = "schemars", schemars(extend("format" = "date-time")))]
            pub date_created?: String,
            /// Last update time.
            #[cfg_attr(feature = "schemars", schemars(extend("format" = "date-time")))]
            pub last_updated?: String,
            /// The client auth token (when asked for); the token is a secret.
            pub juspay?: ClientAuth,
        }
    }

    impl core::fmt::Debug for Customer {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.debug_struct("Customer")
                .field("id", &self.id)
                .finish_non_exhaustive()
        }
    }

    impl Customer {
        /// `email_address` as an [`Email`], `None` when absent or malformed.
        pub fn email(&self) -> Option<Email> {
            self.email_address
                .as_deref()
                .and_then(|e| Email::new(e).ok())
        }

        /// `mobile_number` as a [`Phone`], `None` when absent or malformed.
        pub fn phone(&self) -> Option<Phone> {
            self.mobile_number
                .as_deref()
                .and_then(|p| Phone::new(p).ok())
        }
    }
}
