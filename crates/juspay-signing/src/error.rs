//! The one error type of the crate.

use core::fmt;

/// Everything that can go wrong while loading keys, signing or verifying.
///
/// Malformed input (a bad PEM file, a broken percent escape, a duplicated parameter) is
/// described precisely, with where it happened. A failed cryptographic check is not:
/// [`Error::Verification`] and [`Error::Unauthorized`] carry no detail, so the error cannot
/// become an oracle for an attacker (RustCrypto's `signature::Error` is opaque for the same
/// reason).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A signature or a MAC did not verify: wrong key, tampered data or wrong signature.
    ///
    /// Deliberately says nothing about why.
    Verification,
    /// Webhook credentials did not match the configured username and password.
    ///
    /// Deliberately says nothing about which part was wrong.
    Unauthorized,
    /// A key could not be read: bad PEM armour, bad DER, or a structure that is not an RSA key.
    MalformedKey {
        /// What was wrong, for example `"pem: invalid base64"`.
        reason: &'static str,
    },
    /// The PEM label names a key type this crate does not load (for example an encrypted
    /// PKCS#8 key, or a public key given where a private key is expected).
    UnsupportedKeyType {
        /// The label found between `-----BEGIN ` and `-----`.
        label: alloc::string::String,
    },
    /// The RSA modulus is outside the accepted range of 2048 to 4096 bits.
    KeySize {
        /// Bit length of the modulus that was refused.
        bits: usize,
    },
    /// The requested RSA backend is not compiled in (enable its cargo feature).
    BackendUnavailable,
    /// The signing operation itself failed in the backend (for example its random source, or
    /// its fault-attack check of the result).
    Signing,
    /// A signature string is neither hex nor base64, or decodes to nothing.
    MalformedSignature {
        /// What was wrong.
        reason: &'static str,
    },
    /// A percent escape (`%` not followed by two hex digits) at this byte offset.
    MalformedPercentEncoding {
        /// Which input: `"query"`, `"signature"`, ...
        input: &'static str,
        /// Byte offset of the `%` in that input.
        offset: usize,
    },
    /// Percent-decoding produced bytes that are not UTF-8.
    InvalidUtf8 {
        /// Which input: `"query"`, `"signature"`, ...
        input: &'static str,
    },
    /// A URL given to a `verify_url`-style function has no query string.
    MissingQuery,
    /// A parameter name appears more than once, so the signed set is ambiguous.
    DuplicateParameter {
        /// The decoded parameter name.
        name: alloc::string::String,
    },
    /// The return-URL parameters carry no `signature`.
    MissingSignature,
    /// `signature_algorithm` is present with a value other than `HMAC-SHA256`.
    UnsupportedSignatureAlgorithm,
    /// The `Authorization` header value is not a well-formed HTTP Basic credential.
    MalformedAuthorization {
        /// What was wrong.
        reason: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Verification => f.write_str("signature verification failed"),
            Self::Unauthorized => f.write_str("unauthorized"),
            Self::MalformedKey { reason } => write!(f, "malformed key: {reason}"),
            Self::UnsupportedKeyType { label } if label.contains("ENCRYPTED") => write!(
                f,
                "unsupported key type: PEM label {label:?}: encrypted keys are not supported, decrypt it first (openssl pkey -in FILE -out PLAIN)"
            ),
            Self::UnsupportedKeyType { label } => {
                write!(f, "unsupported key type: PEM label {label:?}")
            }
            Self::KeySize { bits } => write!(
                f,
                "rsa key of {bits} bits refused: the modulus must have 2048 to 4096 bits"
            ),
            Self::BackendUnavailable => {
                f.write_str("the requested rsa backend is not compiled in (cargo feature)")
            }
            Self::Signing => f.write_str("rsa signing failed"),
            Self::MalformedSignature { reason } => write!(f, "malformed signature: {reason}"),
            Self::MalformedPercentEncoding { input, offset } => write!(
                f,
                "malformed percent escape in {input} at byte {offset}: '%' must be followed by two hex digits"
            ),
            Self::InvalidUtf8 { input } => {
                write!(f, "percent-decoded {input} is not valid UTF-8")
            }
            Self::MissingQuery => f.write_str("url has no query string"),
            Self::DuplicateParameter { name } => {
                write!(f, "parameter {name:?} appears more than once")
            }
            Self::MissingSignature => f.write_str("missing signature parameter"),
            Self::UnsupportedSignatureAlgorithm => {
                f.write_str("unsupported signature_algorithm: only HMAC-SHA256 is accepted")
            }
            Self::MalformedAuthorization { reason } => {
                write!(f, "malformed authorization header: {reason}")
            }
        }
    }
}

impl core::error::Error for Error {}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
