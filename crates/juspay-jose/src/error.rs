//! The errors of the crate: precise for keys (local input), opaque for envelopes.

/// A key could not be loaded, generated or exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The PEM/DER text is not an acceptable RSA key: what was wrong, from `juspay-signing`'s
    /// checks (armour, structure, size of 2048 to 8192 bits, exponent, encrypted keys).
    #[error(transparent)]
    Invalid(#[from] juspay_signing::Error),
    /// The crypto library refused a key that passed the format checks.
    #[error("rsa key refused: {0}")]
    Rejected(&'static str),
    /// Key generation, encoding or the random source failed in the crypto library.
    #[error("rsa key generation or encoding failed in aws-lc")]
    Crypto,
}

/// Sealing failed in the crypto library (random source, RSA-OAEP or AES-GCM); the payload
/// itself cannot make sealing fail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("sealing the envelope failed in the crypto library")]
#[non_exhaustive]
pub struct SealError;

/// An envelope did not open. Deliberately opaque: a malformed envelope, an unexpected
/// `alg`/`enc`/`kid`, a bad RSA-OAEP padding, a bad AES-GCM tag and a bad signature all give
/// this same error, so that a peer cannot use the answer as an oracle. To see which check
/// failed on a local file, use [`Party::explain_open`](crate::Party::explain_open).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the envelope did not open (malformed, wrong key or key id, or tampered)")]
#[non_exhaustive]
pub struct OpenError;
