//! Webhook credentials: HTTP Basic authentication of the gateway's webhook calls.
//!
//! The merchant sets a username and password in the dashboard; the gateway sends them in
//! the `Authorization` header of every webhook (`signing.md` §3).
//!
//! ```
//! use juspay_signing::webhook::BasicCredentials;
//!
//! let credentials = BasicCredentials::new("merchant", "s3cret");
//! // base64("merchant:s3cret")
//! assert!(credentials.verify_authorization("Basic bWVyY2hhbnQ6czNjcmV0").is_ok());
//! assert!(credentials.verify_authorization("basic bWVyY2hhbnQ6d3Jvbmc=").is_err());
//! ```

use alloc::string::String;
use core::fmt;

use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

use crate::encoding;
use crate::error::{Error, Result};

/// The username and password the gateway must present.
///
/// Both are held as secrets: copied into zeroizing buffers (wiped on drop), never shown by
/// `Debug` (which prints `[redacted]`), not serializable.
#[derive(Clone)]
pub struct BasicCredentials {
    username: Zeroizing<String>,
    password: Zeroizing<String>,
}

impl BasicCredentials {
    /// The configured credentials (for a `juspay_types::Secret`, pass
    /// `secret.expose_secret()`). With an empty password no header is ever accepted.
    pub fn new(username: impl AsRef<str>, password: impl AsRef<str>) -> Self {
        Self {
            username: Zeroizing::new(String::from(username.as_ref())),
            password: Zeroizing::new(String::from(password.as_ref())),
        }
    }

    /// The `Authorization` header value for these credentials (`Basic base64(user:pass)`),
    /// for the sandbox and for tests. It contains the password: it is returned in a
    /// zeroizing buffer, treat it as a secret.
    pub fn authorization_header(&self) -> Zeroizing<String> {
        let mut plain = Zeroizing::new(String::new());
        plain.push_str(&self.username);
        plain.push(':');
        plain.push_str(&self.password);
        let mut header = Zeroizing::new(String::from("Basic "));
        header.push_str(&encoding::base64_encode(plain.as_bytes()));
        header
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
    /// scheme, bad base64, no `:`, not UTF-8); [`Error::Unauthorized`], and nothing more,
    /// when the credentials do not match, and always when the configured password is empty
    /// (a missing setting must not open the webhook endpoint).
    pub fn verify_authorization(&self, header_value: &str) -> Result<()> {
        let value = header_value.trim();
        let (scheme, token) =
            value
                .split_once([' ', '\t'])
                .ok_or(Error::MalformedAuthorization {
                    reason: "expected \"Basic <base64>\"",
                })?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return Err(Error::MalformedAuthorization {
                reason: "scheme is not Basic",
            });
        }
        let decoded = Zeroizing::new(encoding::base64_decode(token.trim().as_bytes()).ok_or(
            Error::MalformedAuthorization {
                reason: "credentials are not standard base64",
            },
        )?);
        let decoded =
            core::str::from_utf8(&decoded).map_err(|_| Error::MalformedAuthorization {
                reason: "credentials are not UTF-8",
            })?;
        // RFC 7617: the user-id cannot contain ':', the password can.
        let (username, password) =
            decoded
                .split_once(':')
                .ok_or(Error::MalformedAuthorization {
                    reason: "credentials have no ':' between username and password",
                })?;
        let user_ok = digest_eq(username, &self.username);
        let pass_ok = digest_eq(password, &self.password);
        // An empty configured password authenticates nothing: it is what a missing setting
        // becomes, and `Basic Og==` (":") would then open the endpoint.
        let configured = subtle::Choice::from(u8::from(!self.password.is_empty()));
        if bool::from(user_ok & pass_ok & configured) {
            Ok(())
        } else {
            Err(Error::Unauthorized)
        }
    }
}

/// Constant-time equality that does not reveal either length: compares SHA-256 digests.
fn digest_eq(given: &str, expected: &str) -> subtle::Choice {
    let given = Sha256::digest(given.as_bytes());
    let expected = Sha256::digest(expected.as_bytes());
    given.as_slice().ct_eq(expected.as_slice())
}

impl fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicCredentials")
            .field("username", &format_args!("[redacted]"))
            .field("password", &format_args!("[redacted]"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use alloc::format;

    use super::*;

    fn creds() -> BasicCredentials {
        BasicCredentials::new("merchant", "pa:ss word")
    }

    #[test]
    fn accepts_the_right_credentials_in_any_scheme_case() {
        let header = creds().authorization_header();
        let token = header.as_str().trim_start_matches("Basic ");
        for scheme in ["Basic", "basic", "BASIC", "bAsIc"] {
            assert_eq!(
                creds().verify_authorization(&format!("{scheme} {token}")),
                Ok(())
            );
        }
        assert_eq!(
            creds().verify_authorization(&format!("  Basic   {token}  ")),
            Ok(())
        );
    }

    #[test]
    fn wrong_credentials_say_only_unauthorized() {
        let c = creds();
        for (user, pass) in [
            ("merchant", "pa:ss"),
            ("Merchant", "pa:ss word"),
            ("", ""),
            ("merchant", ""),
        ] {
            let header = BasicCredentials::new(user, pass).authorization_header();
            let err = c.verify_authorization(header.as_str()).unwrap_err();
            assert_eq!(err, Error::Unauthorized);
            assert_eq!(format!("{err}"), "unauthorized");
        }
    }

    #[test]
    fn malformed_headers_are_described() {
        let c = creds();
        for bad in [
            "",
            "Basic",
            "Bearer abc",
            "Basic !!!",
            "Basic bWVyY2hhbnQ=",
            "Basic //79",
        ] {
            assert!(
                matches!(
                    c.verify_authorization(bad),
                    Err(Error::MalformedAuthorization { .. })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn an_empty_configured_password_accepts_nothing() {
        // A missing setting read as "" must not let `Basic Og==` (":") or "user:" in.
        for (user, header) in [("", "Basic Og=="), ("hook", "Basic aG9vazo=")] {
            let c = BasicCredentials::new(user, "");
            assert_eq!(c.verify_authorization(header), Err(Error::Unauthorized));
            let own = c.authorization_header();
            assert_eq!(
                c.verify_authorization(own.as_str()),
                Err(Error::Unauthorized)
            );
        }
        // An empty password in the header against a configured one: unauthorized too.
        assert_eq!(
            BasicCredentials::new("hook", "pw").verify_authorization("Basic aG9vazo="),
            Err(Error::Unauthorized)
        );
    }

    #[test]
    fn debug_is_redacted() {
        let shown = format!("{:?}", creds());
        assert!(
            !shown.contains("merchant") && !shown.contains("pa:ss"),
            "{shown}"
        );
        assert!(shown.contains("[redacted]"));
    }
}
