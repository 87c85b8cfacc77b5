//! HTTP Basic credentials: the gateway's webhook calls (`docs/spec/signing.md` §3), and the
//! API-key scheme of the gateway's own API (`Basic base64(api_key:)`), which the sandbox
//! checks.
//!
//! The merchant sets a username and password in the dashboard; the gateway sends them in
//! the `Authorization` header of every webhook.
//!
//! ```
//! use juspay_signing::webhook::BasicCredentials;
//! use secrecy::SecretString;
//!
//! let credentials = BasicCredentials::new("merchant", SecretString::from("s3cret"));
//! // base64("merchant:s3cret")
//! assert!(credentials.verify_authorization("Basic bWVyY2hhbnQ6czNjcmV0").is_ok());
//! assert!(credentials.verify_authorization("basic bWVyY2hhbnQ6d3Jvbmc=").is_err());
//!
//! let api = BasicCredentials::api_key("key_123".into());
//! assert!(api.verify_authorization("Basic a2V5XzEyMzo=").is_ok()); // base64("key_123:")
//! assert!(api.verify_authorization("Basic a2V5XzEyMw==").is_ok()); // base64("key_123")
//! ```

use alloc::format;
use core::fmt;

use secrecy::{ExposeSecret as _, SecretString};
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

use crate::encoding;
use crate::error::{Error, Result};

/// The credentials an `Authorization: Basic` header must carry.
///
/// Both parts are secrets (`SecretString`: wiped on drop, `Debug` prints `[redacted]`, not
/// serializable). Checks are constant-time and do not reveal lengths.
#[derive(Clone)]
pub struct BasicCredentials {
    username: SecretString,
    /// `None`: the API-key scheme, where the user-id is the key and the password is not
    /// checked (and may be absent, with its `:`).
    password: Option<SecretString>,
}

impl BasicCredentials {
    /// A username and password (webhooks). With an empty password no header is ever
    /// accepted: it is what a missing setting becomes.
    pub fn new(username: impl AsRef<str>, password: SecretString) -> Self {
        Self {
            username: SecretString::from(username.as_ref()),
            password: Some(password),
        }
    }

    /// The gateway's API-key scheme: `Basic base64(api_key:)`, also `Basic base64(api_key)`
    /// (which some official SDKs send); any password part is ignored. With an empty key no
    /// header is ever accepted.
    pub fn api_key(key: SecretString) -> Self {
        Self {
            username: key,
            password: None,
        }
    }

    /// The `Authorization` header value for these credentials (`Basic base64(user:pass)`),
    /// for the sandbox and for tests. It contains the password, so it is a secret too.
    pub fn authorization(&self) -> SecretString {
        let password = self.password.as_ref().map_or("", |p| p.expose_secret());
        let plain = Zeroizing::new(format!("{}:{password}", self.username.expose_secret()));
        let encoded = encoding::base64_encode(plain.as_bytes());
        SecretString::from(format!("Basic {encoded}"))
    }

    /// Checks an `Authorization` header value.
    ///
    /// The scheme is matched case-insensitively (`Basic`, `basic`, `BASIC`); surrounding
    /// whitespace is ignored. The username and the password are both compared, in constant
    /// time and independently of their lengths (their SHA-256 digests are compared), and
    /// the two results are combined without short-circuit.
    ///
    /// # Errors
    ///
    /// [`Error::MalformedAuthorization`] when the value is not a Basic credential (wrong
    /// scheme, bad base64, no `:` where a password is expected, not UTF-8);
    /// [`Error::Unauthorized`], and nothing more, when the credentials do not match, and
    /// always when the configured password (or API key) is empty.
    pub fn verify_authorization(&self, header_value: &str) -> Result<()> {
        let malformed = |reason| Error::MalformedAuthorization { reason };
        let (scheme, token) = header_value
            .trim()
            .split_once([' ', '\t'])
            .ok_or(malformed("expected \"Basic <base64>\""))?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return Err(malformed("scheme is not Basic"));
        }
        let decoded = Zeroizing::new(
            encoding::base64_decode(token.trim().as_bytes())
                .ok_or(malformed("credentials are not standard base64"))?,
        );
        let decoded =
            core::str::from_utf8(&decoded).map_err(|_| malformed("credentials are not UTF-8"))?;
        // RFC 7617: the user-id cannot contain ':', the password can.
        let (username, password) = decoded
            .split_once(':')
            .or(self.password.is_none().then_some((decoded, "")))
            .ok_or(malformed(
                "credentials have no ':' between username and password",
            ))?;
        // The API-key scheme checks no password. An empty configured secret authenticates
        // nothing: it is what a missing setting becomes, and `Basic Og==` (":") would then
        // open the endpoint.
        let (expected, secret) = self
            .password
            .as_ref()
            .map_or((password, self.username.expose_secret()), |p| {
                (p.expose_secret(), p.expose_secret())
            });
        let ok = digest_eq(username, self.username.expose_secret())
            & digest_eq(password, expected)
            & subtle::Choice::from(u8::from(!secret.is_empty()));
        if bool::from(ok) {
            Ok(())
        } else {
            Err(Error::Unauthorized)
        }
    }
}

/// Constant-time equality that does not reveal either length: compares SHA-256 digests.
fn digest_eq(given: &str, expected: &str) -> subtle::Choice {
    Sha256::digest(given.as_bytes()).ct_eq(&Sha256::digest(expected.as_bytes()))
}

impl fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BasicCredentials { username: [redacted], password: [redacted] }")
    }
}
