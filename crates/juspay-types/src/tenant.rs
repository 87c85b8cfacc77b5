//! Tenants (who runs the API), environments (sandbox or production) and the base URL the
//! transport talks to, with the presets of `server-api.md`.

use alloc::string::String;
use core::fmt;

use crate::error::{Error, Problem, Result};

/// HDFC SmartGateway's sandbox `payment_page_client_id` (seed 003: "For Sandbox, add
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Environment {
    /// The test environment (no real money).
    Sandbox,
    /// The live environment.
    Production,
}

impl Tenant {
    /// Every tenant.
    pub const ALL: [Self; 3] = [
        Self::Juspay,
        Self::HdfcSmartGateway,
        Self::HdfcSmartGatewayLegacy,
    ];

    /// The preset base URL (scheme and host, no trailing slash) of `server-api.md`.
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
    /// The SDK's `environment` value: `"sandbox"` or `"production"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sandbox => "sandbox",
            Self::Production => "production",
        }
    }
}

/// Where the API lives: a preset (tenant and environment) or any other base URL (a local
/// sandbox, a proxy, a future tenant).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BaseUrl {
    /// A preset of `server-api.md`.
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

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
}
