//! Tenants (who runs the API), environments (sandbox or production) and the base URL the
//! transport talks to, with the presets of `docs/spec/server-api.md`.

use alloc::string::String;
use core::str::FromStr;

use crate::error::{Error, Problem, Result};

/// HDFC SmartGateway's sandbox `payment_page_client_id` (`docs/spec/server-api.md`, Tenants and base URLs: "For Sandbox, add
/// 'hdfcmaster' as your client_id").
pub const HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID: &str = "hdfcmaster";

/// Who operates the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Tenant {
    /// Juspay itself (`sandbox.juspay.in`, `api.juspay.in`).
    Juspay,
    /// HDFC SmartGateway on its current domains (`*.hdfc.bank.in`).
    HdfcSmartGateway,
    /// HDFC SmartGateway on its older domains (`*.hdfcbank.com`), still served.
    HdfcSmartGatewayLegacy,
}

/// Sandbox or production.
///
/// With the `serde` feature it reads the SDK payload's spellings `sandbox`, `prod` and
/// `production`, and writes [`Environment::sdk_wire_name`] (`sandbox`, `prod`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Environment {
    /// The test environment (no real money).
    #[cfg_attr(feature = "serde", serde(rename = "sandbox"))]
    Sandbox,
    /// The live environment.
    #[cfg_attr(feature = "serde", serde(rename = "prod", alias = "production"))]
    Production,
}

impl Tenant {
    /// Every tenant.
    pub const ALL: [Self; 3] = [
        Self::Juspay,
        Self::HdfcSmartGateway,
        Self::HdfcSmartGatewayLegacy,
    ];

    /// The preset base URL (scheme and host, no trailing slash) of `docs/spec/server-api.md`.
    pub const fn base_url(self, environment: Environment) -> &'static str {
        match (self, environment) {
            (Self::Juspay, Environment::Sandbox) => "https://sandbox.juspay.in",
            (Self::Juspay, Environment::Production) => "https://api.juspay.in",
            (Self::HdfcSmartGateway, Environment::Sandbox) => {
                "https://smartgateway.hdfcuat.bank.in"
            }
            (Self::HdfcSmartGateway, Environment::Production) => {
                "https://smartgateway.hdfc.bank.in"
            }
            (Self::HdfcSmartGatewayLegacy, Environment::Sandbox) => {
                "https://smartgatewayuat.hdfcbank.com"
            }
            (Self::HdfcSmartGatewayLegacy, Environment::Production) => {
                "https://smartgateway.hdfcbank.com"
            }
        }
    }

    /// The `payment_page_client_id` to use in this environment when it is fixed by the
    /// tenant: `hdfcmaster` for HDFC's sandboxes, `None` otherwise (issued per merchant).
    pub const fn default_payment_page_client_id(
        self,
        environment: Environment,
    ) -> Option<&'static str> {
        match (self, environment) {
            (Self::HdfcSmartGateway | Self::HdfcSmartGatewayLegacy, Environment::Sandbox) => {
                Some(HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID)
            }
            _ => None,
        }
    }
}

impl Environment {
    /// Both environments.
    pub const ALL: [Self; 2] = [Self::Sandbox, Self::Production];

    /// The full name: `"sandbox"` or `"production"` (also what `Display` writes).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sandbox => "sandbox",
            Self::Production => "production",
        }
    }

    /// The SDK payload's `environment` value (`docs/spec/sdk-protocol.md`): `"sandbox"` or
    /// `"prod"`; what `Serialize` writes.
    pub const fn sdk_wire_name(self) -> &'static str {
        match self {
            Self::Sandbox => "sandbox",
            Self::Production => "prod",
        }
    }

    /// Whether this is the live environment.
    pub const fn is_production(self) -> bool {
        matches!(self, Self::Production)
    }

    /// Reads the SDK payload's spellings exactly: `sandbox`, `prod` or `production`
    /// (what `Deserialize` accepts).
    pub fn from_wire(s: &str) -> Option<Self> {
        match s {
            "sandbox" => Some(Self::Sandbox),
            "prod" | "production" => Some(Self::Production),
            _ => None,
        }
    }
}

text_impls!(Environment, (); display);

/// The names a user types (CLI flags, environment variables, configuration files), any case:
/// `sandbox` (also `uat`, `test`), `production` (also `prod`, `live`).
impl FromStr for Environment {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "sandbox" | "uat" | "test" => Ok(Self::Sandbox),
            "production" | "prod" | "live" => Ok(Self::Production),
            _ => Err(Error::field(
                "environment",
                Problem::InvalidFormat("sandbox or production"),
            )),
        }
    }
}

impl Tenant {
    /// The name [`FromStr`] reads: `juspay`, `hdfc` or `hdfc-legacy`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Juspay => "juspay",
            Self::HdfcSmartGateway => "hdfc",
            Self::HdfcSmartGatewayLegacy => "hdfc-legacy",
        }
    }
}

text_impls!(Tenant, (); display);

/// `juspay`, `hdfc` or `hdfc-legacy`, any case.
impl FromStr for Tenant {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let lower = s.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == lower)
            .ok_or(Error::field(
                "tenant",
                Problem::InvalidFormat("juspay, hdfc or hdfc-legacy"),
            ))
    }
}

/// Where the API lives: a preset (tenant and environment) or any other base URL (a local
/// sandbox, a proxy, a future tenant).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BaseUrl {
    /// A preset of `docs/spec/server-api.md`.
    Preset {
        /// Who runs the API.
        tenant: Tenant,
        /// Sandbox or production.
        environment: Environment,
    },
    /// A custom base URL, validated by [`BaseUrl::custom`].
    Custom(String),
}

impl BaseUrl {
    /// A preset.
    pub const fn preset(tenant: Tenant, environment: Environment) -> Self {
        Self::Preset {
            tenant,
            environment,
        }
    }

    /// A custom base URL: `http://` or `https://`, a host, an optional path; no query, no
    /// fragment, no whitespace. A trailing `/` is removed so paths can be appended.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] (`base_url`) saying what is wrong.
    pub fn custom(url: impl Into<String>) -> Result<Self> {
        let mut url = url.into();
        check_absolute_url(&url, "base_url")?;
        while url.ends_with('/') {
            url.pop();
        }
        Ok(Self::Custom(url))
    }

    /// The base URL without a trailing slash.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Preset {
                tenant,
                environment,
            } => tenant.base_url(*environment),
            Self::Custom(url) => url,
        }
    }

    /// The tenant of a preset, `None` for a custom URL.
    pub const fn tenant(&self) -> Option<Tenant> {
        match self {
            Self::Preset { tenant, .. } => Some(*tenant),
            Self::Custom(_) => None,
        }
    }
}

text_impls!(BaseUrl, (); display);

/// Checks an absolute `http(s)` URL without query or fragment (base URLs, `return_url`).
pub(crate) fn check_absolute_url(url: &str, field: &'static str) -> Result<()> {
    url_problem(url).map_err(|p| Error::field(field, p))
}

/// The problem of an absolute `http(s)` URL without query or fragment, if any.
pub(crate) fn url_problem(url: &str) -> core::result::Result<(), Problem> {
    if url.is_empty() {
        return Err(Problem::Empty);
    }
    if let Some((index, _)) = url
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_whitespace() || c.is_control())
    {
        return Err(Problem::InvalidCharacter { index });
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or(Problem::InvalidFormat(
            "a fully qualified http:// or https:// URL",
        ))?;
    // The authority, without user info (`user@`) and port (`:443`): that is the host, and a
    // fully qualified URL has one (`https://:443/x` and `https://@/x` do not).
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or_default();
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host_port)| host_port);
    let host = match host_port.strip_prefix('[') {
        // An IPv6 literal: `[::1]:8080`.
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() {
        return Err(Problem::InvalidFormat("a fully qualified URL with a host"));
    }
    if url.contains('?') {
        return Err(Problem::InvalidFormat("a URL without query parameters"));
    }
    if url.contains('#') {
        return Err(Problem::InvalidFormat("a URL without a fragment"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn presets_and_custom() {
        assert_eq!(
            BaseUrl::preset(Tenant::HdfcSmartGateway, Environment::Sandbox).as_str(),
            "https://smartgateway.hdfcuat.bank.in"
        );
        assert_eq!(
            Tenant::HdfcSmartGatewayLegacy.default_payment_page_client_id(Environment::Sandbox),
            Some("hdfcmaster")
        );
        assert_eq!(
            Tenant::Juspay.default_payment_page_client_id(Environment::Sandbox),
            None
        );
        assert_eq!(
            BaseUrl::custom("http://127.0.0.1:8080/").unwrap().as_str(),
            "http://127.0.0.1:8080"
        );
        assert!(BaseUrl::custom("ftp://x").is_err());
        assert!(BaseUrl::custom("https://x/?a=1").is_err());
        assert!(BaseUrl::custom("https:///path").is_err());
        assert!(BaseUrl::custom("http://:8080").is_err());
        assert!(BaseUrl::custom("http://user@:8080/x").is_err());
        assert!(BaseUrl::custom("http://[::1]:8080").is_ok());
    }

    #[test]
    fn tenants_and_environments_parse_from_names() {
        for (text, tenant, environment) in [
            ("juspay", "sandbox", (Tenant::Juspay, Environment::Sandbox)),
            (
                "HDFC",
                "production",
                (Tenant::HdfcSmartGateway, Environment::Production),
            ),
            (
                "hdfc-legacy",
                "uat",
                (Tenant::HdfcSmartGatewayLegacy, Environment::Sandbox),
            ),
            ("juspay", "TEST", (Tenant::Juspay, Environment::Sandbox)),
            ("juspay", "prod", (Tenant::Juspay, Environment::Production)),
            ("juspay", "Live", (Tenant::Juspay, Environment::Production)),
        ] {
            let parsed = (
                text.parse::<Tenant>().unwrap(),
                tenant.parse::<Environment>().unwrap(),
            );
            assert_eq!(parsed, environment, "{text} {tenant}");
        }
        assert!("stripe".parse::<Tenant>().is_err());
        assert!("staging".parse::<Environment>().is_err());
        for t in Tenant::ALL {
            assert_eq!(t.to_string().parse::<Tenant>().unwrap(), t);
        }
        for e in Environment::ALL {
            assert_eq!(e.to_string().parse::<Environment>().unwrap(), e);
            assert_eq!(Environment::from_wire(e.sdk_wire_name()), Some(e));
        }
        assert_eq!(
            Environment::from_wire("production"),
            Some(Environment::Production)
        );
        assert_eq!(Environment::from_wire("Production"), None);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn environment_reads_every_sdk_spelling() {
        for (json, e) in [
            ("\"sandbox\"", Environment::Sandbox),
            ("\"prod\"", Environment::Production),
            ("\"production\"", Environment::Production),
        ] {
            assert_eq!(serde_json::from_str::<Environment>(json).unwrap(), e);
        }
        assert!(serde_json::from_str::<Environment>("\"live\"").is_err());
        assert_eq!(
            serde_json::to_string(&Environment::Production).unwrap(),
            "\"prod\""
        );
        assert_eq!(
            serde_json::to_string(&Environment::Sandbox).unwrap(),
            "\"sandbox\""
        );
    }
}
