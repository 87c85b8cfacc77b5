//! [`PaymentOptions`]: the `payment_options` parameter of a payment link, which restricts the
//! hosted page to some payment method families (`docs/spec/payments.md`):
//! `?payment_options=nb|wallet` shows only netbanking and wallets.

use alloc::string::String;
use alloc::vec::Vec;

open_enum! {
    /// One family in `payment_options` (lower case on the wire).
    pub enum PaymentOption {
        /// Netbanking.
        Nb = "nb",
        /// Cards.
        Card = "card",
        /// Wallets.
        Wallet = "wallet",
        /// UPI.
        Upi = "upi",
        /// EMI.
        Emi = "emi",
    }
}

/// A set of [`PaymentOption`]s, written `nb|wallet` (in the order given, each once). An
/// unknown family is kept (open set); empty names between `|` are skipped. The empty set
/// restricts nothing: [`Self::apply_to`] leaves the link as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PaymentOptions {
    options: Vec<PaymentOption>,
}

impl PaymentOptions {
    /// The set of `options` (duplicates dropped, first occurrence kept).
    pub fn new(options: impl IntoIterator<Item = PaymentOption>) -> Self {
        let mut out = Self::default();
        for o in options {
            out.insert(o);
        }
        out
    }

    /// Adds an option (no effect when present).
    pub fn insert(&mut self, option: PaymentOption) {
        if !self.options.contains(&option) {
            self.options.push(option);
        }
    }

    /// Whether the set allows `option` (an empty set allows everything).
    pub fn allows(&self, option: &PaymentOption) -> bool {
        self.options.is_empty() || self.options.contains(option)
    }

    /// The options, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &PaymentOption> {
        self.options.iter()
    }

    /// Whether no option is set.
    pub fn is_empty(&self) -> bool {
        self.options.is_empty()
    }

    /// Reads the wire form `nb|wallet` (names in any case are read lower case).
    pub fn from_wire(s: &str) -> Self {
        Self::new(
            s.split('|')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| PaymentOption::from_wire(&p.to_ascii_lowercase())),
        )
    }

    /// The wire form, `nb|wallet`.
    pub fn to_wire(&self) -> String {
        let names: Vec<&str> = self.options.iter().map(PaymentOption::as_str).collect();
        names.join("|")
    }

    /// `url` with `payment_options=<wire>` added to its query (`?` or `&`; `|` written
    /// `%7C`), before any fragment; `url` unchanged when the set is empty.
    pub fn apply_to(&self, url: &str) -> String {
        if self.is_empty() {
            return String::from(url);
        }
        let (base, fragment) = url
            .split_once('#')
            .map_or((url, None), |(b, f)| (b, Some(f)));
        let sep = if base.contains('?') { '&' } else { '?' };
        let mut out = alloc::format!(
            "{base}{sep}payment_options={}",
            self.to_wire().replace('|', "%7C")
        );
        if let Some(f) = fragment {
            out.push('#');
            out.push_str(f);
        }
        out
    }

    /// The `payment_options` value of a URL's query (`None` when absent).
    pub fn from_url(url: &str) -> Option<Self> {
        let query = url.split_once('?')?.1;
        let query = query.split_once('#').map_or(query, |(q, _)| q);
        crate::form::decode(query.as_bytes())
            .into_iter()
            .find(|(k, _)| k == "payment_options")
            .map(|(_, v)| Self::from_wire(&v))
    }
}

impl core::fmt::Display for PaymentOptions {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_wire())
    }
}

impl core::str::FromStr for PaymentOptions {
    type Err = core::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::from_wire(s))
    }
}

impl FromIterator<PaymentOption> for PaymentOptions {
    fn from_iter<I: IntoIterator<Item = PaymentOption>>(iter: I) -> Self {
        Self::new(iter)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for PaymentOptions {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_wire())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for PaymentOptions {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::__private::deserialize_str(d, Self::from_wire)
    }
}

#[cfg(feature = "schemars")]
fixed_schema!(PaymentOptions, {
    schemars::json_schema!({
        "description": "payment_options of a payment link: families joined by |, e.g. nb|wallet (known: nb, card, wallet, upi, emi; others kept).",
        "type": "string",
        "pattern": "^[A-Za-z_]*(\\|[A-Za-z_]*)*$"
    })
});

#[cfg(feature = "serde")]
impl crate::order::PaymentLinks {
    /// The links restricted to `options` (each link gets `payment_options=…`).
    pub fn with_payment_options(&self, options: &PaymentOptions) -> Self {
        let mut out = self.clone();
        for url in [&mut out.web, &mut out.mobile, &mut out.iframe]
            .into_iter()
            .flatten()
        {
            *url = options.apply_to(url);
        }
        out
    }
}
