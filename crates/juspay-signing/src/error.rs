//! The one error type of the crate.

/// Everything that can go wrong while loading keys, signing or verifying.
///
/// Malformed input (a bad PEM file, a broken percent escape, a duplicated parameter) is
/// described precisely, with where it happened. A failed cryptographic check is not:
/// [`Error::Verification`] and [`Error::Unauthorized`] carry no detail, so the error cannot
/// become an oracle for an attacker (RustCrypto's `signature::Error` is opaque for the same
/// reason).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A signature or a MAC did not verify (wrong key, tampered data or wrong signature);
    /// deliberately says nothing about why.
    #[error("signature verification failed")]
    Verification,
    /// Basic credentials did not match; deliberately says nothing about which part was wrong.
    #[error("unauthorized")]
    Unauthorized,
    /// A key could not be read: bad PEM armour, bad DER, or a structure that is not an RSA key.
    #[error("malformed key: {reason}")]
    MalformedKey {
        /// What was wrong, for example `"pem: invalid base64"`.
        reason: &'static str,
    },
    /// The PEM label names a key type this crate does not load (for example an encrypted
    /// PKCS#8 key, or a public key given where a private key is expected).
    #[error("unsupported key type: PEM label {label:?}{}", encrypted_hint(label))]
    UnsupportedKeyType {
        /// The label found between `-----BEGIN ` and `-----`.
        label: alloc::string::String,
    },
    /// The RSA modulus is outside the accepted range of 2048 to 8192 bits.
    #[error("rsa key of {bits} bits refused: the modulus must have 2048 to 8192 bits")]
    KeySize {
        /// Bit length of the modulus that was refused.
        bits: usize,
    },
    /// The backend named when loading a private key cannot sign with a key this large
    /// (ring stops at 4096 bits; aws-lc-rs and `rsa` go to 8192).
    #[error(
        "rsa private key of {bits} bits refused by the ring backend, which signs with at most {max} bits; load it on the aws-lc-rs or rsa backend"
    )]
    KeyTooLargeForBackend {
        /// Bit length of the modulus.
        bits: usize,
        /// The backend's largest signing key.
        max: usize,
    },
    /// The signing operation itself failed in the backend (for example its random source, or
    /// its fault-attack check of the result).
    #[error("rsa signing failed")]
    Signing,
    /// A signature string is neither hex nor base64, or decodes to nothing.
    #[error("malformed signature: {reason}")]
    MalformedSignature {
        /// What was wrong.
        reason: &'static str,
    },
    /// A percent escape (`%` not followed by two hex digits) at this byte offset.
    #[error(
        "malformed percent escape in {input} at byte {offset}: '%' must be followed by two hex digits"
    )]
    MalformedPercentEncoding {
        /// Which input: `"query"`, `"signature"`, ...
        input: &'static str,
        /// Byte offset of the `%` in that input.
        offset: usize,
    },
    /// Percent-decoding produced bytes that are not UTF-8.
    #[error("percent-decoded {input} is not valid UTF-8")]
    InvalidUtf8 {
        /// Which input: `"query"`, `"signature"`, ...
        input: &'static str,
    },
    /// A URL given as `return_url::ReturnInput::Url` has no query string.
    #[error("url has no query string")]
    MissingQuery,
    /// A parameter name appears more than once, so the signed set is ambiguous.
    #[error("parameter {name:?} appears more than once")]
    DuplicateParameter {
        /// The decoded parameter name.
        name: alloc::string::String,
    },
    /// The return-URL parameters carry no `signature`.
    #[error("missing signature parameter")]
    MissingSignature,
    /// A verified return URL lacks a parameter every genuine redirect carries.
    #[error("missing {name} parameter")]
    MissingParameter {
        /// `"order_id"` or `"status"`.
        name: &'static str,
    },
    /// A verified return URL carries a parameter that breaks its rule (an `order_id` that is
    /// not a valid `juspay_types::OrderId`).
    #[error("invalid {name} parameter")]
    InvalidParameter {
        /// `"order_id"`.
        name: &'static str,
    },
    /// `signature_algorithm` is present with a value other than `HMAC-SHA256`.
    #[error("unsupported signature_algorithm: only HMAC-SHA256 is accepted")]
    UnsupportedSignatureAlgorithm,
    /// The `Authorization` header value is not a well-formed HTTP Basic credential.
    #[error("malformed authorization header: {reason}")]
    MalformedAuthorization {
        /// What was wrong.
        reason: &'static str,
    },
}

/// The advice added to an [`Error::UnsupportedKeyType`] whose label says the key is encrypted.
fn encrypted_hint(label: &str) -> &'static str {
    if label.contains("ENCRYPTED") {
        ": encrypted keys are not supported, decrypt it first (openssl pkey -in FILE -out PLAIN)"
    } else {
        ""
    }
}

/// `Result` with this crate's [`Error`].
pub(crate) type Result<T, E = Error> = core::result::Result<T, E>;
