//! Wallets of a customer (`docs/spec/payments.md`): list (`GET /customers/{id}/wallets`),
//! refresh all balances (`GET /customers/{id}/wallets/refresh-balances`), create
//! ([`CreateWalletRequest`], `POST /customers/{id}/wallets`), get (`GET /wallets/{id}`) and
//! the commands of `POST /wallets/{id}` ([`WalletCommand`]: refresh, authenticate, link,
//! delink). Answers: `Wallet`, `WalletList` (feature `serde`).
//!
//! A wallet's `token` (one-time, 15 minutes) and the link `otp` are secrets.

use alloc::string::String;
use alloc::vec::Vec;

use secrecy::{ExposeSecret, SecretString};

use crate::error::Problem;
use crate::form::{FormReader, FormWriter};

/// `POST /customers/{customer_id}/wallets` (form): create a wallet account for a provider
/// (`gateway=MOBIKWIK`), optionally sending the OTP at once (`command=authenticate`).
#[derive(Clone, Debug, PartialEq, Eq, typed_builder::TypedBuilder)]
#[non_exhaustive]
pub struct CreateWalletRequest {
    /// `gateway`: the wallet provider (`MOBIKWIK`, `PAYTM`, …).
    #[builder(setter(into))]
    pub gateway: String,
    /// `command=authenticate`: send the OTP now.
    #[builder(default)]
    pub authenticate: bool,
}

impl CreateWalletRequest {
    /// `gateway`, then `command=authenticate` when asked.
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        w.put("gateway", self.gateway.as_str());
        if self.authenticate {
            w.put("command", "authenticate");
        }
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        let gateway = r.required("gateway", non_empty);
        let authenticate = r.parse("command", |s| match s {
            "authenticate" => Ok(true),
            _ => Err(Problem::InvalidFormat("authenticate")),
        });
        Some(Self {
            gateway: gateway?,
            authenticate: authenticate.unwrap_or(false),
        })
    }
}

fn non_empty(s: &str) -> core::result::Result<String, Problem> {
    if s.is_empty() {
        Err(Problem::Empty)
    } else {
        Ok(String::from(s))
    }
}

form_readers!(CreateWalletRequest, received);
form_serde!(CreateWalletRequest);

/// `POST /wallets/{wallet_id}` (form): a command on a wallet account.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum WalletCommand {
    /// `command=refresh`: update the balance.
    Refresh,
    /// `command=authenticate`: send the OTP to the customer.
    Authenticate,
    /// `command=link` with the OTP the customer received.
    Link {
        /// `otp` (a secret).
        otp: SecretString,
    },
    /// `command=delink`: unlink the wallet.
    Delink,
}

impl WalletCommand {
    /// The `command` value.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Refresh => "refresh",
            Self::Authenticate => "authenticate",
            Self::Link { .. } => "link",
            Self::Delink => "delink",
        }
    }

    /// `command`, and `otp` for `link` (in clear: the body for the gateway).
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        w.put("command", self.name());
        if let Self::Link { otp } = self {
            w.put("otp", otp.expose_secret());
        }
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        let command = r.required("command", |s| Ok(String::from(s)))?;
        Some(match command.as_str() {
            "refresh" => Self::Refresh,
            "authenticate" => Self::Authenticate,
            "delink" => Self::Delink,
            "link" => Self::Link {
                // The gateway's own words for a link without OTP: "OTP is required while
                // linking wallet."
                otp: r.required("otp", |s| {
                    if s.is_empty() {
                        Err(Problem::Empty)
                    } else {
                        Ok(SecretString::from(s))
                    }
                })?,
            },
            _ => {
                r.errors.push(crate::FieldError::new(
                    "command",
                    Problem::InvalidFormat("refresh, authenticate, link or delink"),
                ));
                return None;
            }
        })
    }

    /// A `link` command.
    pub fn link(otp: impl Into<SecretString>) -> Self {
        Self::Link { otp: otp.into() }
    }
}

form_readers!(WalletCommand, received);

#[cfg(feature = "schemars")]
fixed_schema!(CreateWalletRequest, {
    schemars::json_schema!({
        "description": "POST /customers/{customer_id}/wallets: form body as a flat JSON object of strings.",
        "type": "object",
        "properties": {
            "gateway": { "type": "string", "minLength": 1, "description": "Wallet provider: MOBIKWIK, PAYTM, ..." },
            "command": { "type": "string", "enum": ["authenticate"], "description": "Send the OTP now." }
        },
        "required": ["gateway"],
        "additionalProperties": false
    })
});

#[cfg(feature = "schemars")]
fixed_schema!(WalletCommand, {
    schemars::json_schema!({
        "description": "POST /wallets/{wallet_id}: form body as a flat JSON object of strings. otp is a secret, link only.",
        "type": "object",
        "properties": {
            "command": { "type": "string", "enum": ["refresh", "authenticate", "link", "delink"] },
            "otp": { "type": "string", "minLength": 1 }
        },
        "required": ["command"],
        "additionalProperties": false
    })
});

#[cfg(feature = "serde")]
pub use responses::*;

#[cfg(feature = "serde")]
mod responses {
    use alloc::string::String;
    use alloc::vec::Vec;

    use crate::amount::Amount;
    use crate::loose::Loose;

    wire_struct! {
        /// A customer's wallet account (`object: "wallet_account"`). `Debug` leaves out
        /// `extra` (its `metadata` holds the customer's mobile number).
        pub struct Wallet {
            /// Juspay's id (`wlt_…`).
            pub id: String,
            /// `wallet_account`.
            pub object?: String,
            /// The provider (`MOBIKWIK`, …).
            pub wallet?: String,
            /// One-time token for a direct debit (15 minutes); redacted in `Debug`.
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                serialize_with = "crate::secret::serialize_exposed_option"
            )]
            #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
            pub token: Option<crate::SecretString>,
            /// Balance when last refreshed ("may not be the current balance").
            pub current_balance?: Loose<Amount>,
            /// Whether the wallet is linked (`true` or `"true"`).
            pub linked?: Loose<bool>,
            /// When the balance was refreshed.
            pub last_refreshed?: String,
            /// `gateway_reference_id`.
            pub gateway_reference_id?: String,
            /// `juspay_bank_code`.
            pub juspay_bank_code?: String,
        }
    }

    impl core::fmt::Debug for Wallet {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.debug_struct("Wallet")
                .field("id", &self.id)
                .field("wallet", &self.wallet)
                .field("token", &self.token)
                .field("current_balance", &self.current_balance)
                .field("linked", &self.linked)
                .field("last_refreshed", &self.last_refreshed)
                .finish_non_exhaustive()
        }
    }

    wire_struct! {
        /// The list envelope: `{object: "list", list[], count, offset, total}`.
        #[derive(Debug)]
        pub struct WalletList {
            /// `list`.
            pub object?: String,
            /// The wallets.
            #[serde(default)]
            pub list: Vec<Wallet>,
            /// Entries in this page.
            pub count?: Loose<u32>,
            /// Offset of this page.
            pub offset?: Loose<u32>,
            /// Entries in all.
            pub total?: Loose<u32>,
        }
    }
}
