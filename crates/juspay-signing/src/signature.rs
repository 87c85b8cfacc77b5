//! [`Signature`], the [`Signer`] trait and [`SignedPayload`].

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::encoding;
use crate::error::{Error, Result};

/// Raw bytes of an RSA signature (as many bytes as the modulus).
///
/// Prints as base64 (`Display`) because that is what the SDK payloads carry; hex is offered
/// too. [`Signature::parse`] reads either back.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Signature(Vec<u8>);

impl Signature {
    /// Wraps raw signature bytes.
    pub const fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The raw signature bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Consumes the signature, returning its bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// Standard padded base64, on one line (what the SDK `signature` fields carry).
    pub fn to_base64(&self) -> String {
        encoding::base64_encode(&self.0)
    }

    /// Lower-case hex.
    pub fn to_hex(&self) -> String {
        encoding::hex_encode(&self.0)
    }

    /// Reads a signature in base64 or hex.
    ///
    /// ASCII whitespace anywhere is ignored, so base64 wrapped at 76 columns with `\n` or
    /// `\r\n` (the payment widget's `txnAttempt` sample in `docs/spec/sdk-protocol.md`,
    /// Java's MIME encoder) is accepted, and so is a trailing newline. A string made only
    /// of hex digits, of even length, is read as hex; anything else must be standard padded
    /// base64. (Both alphabets overlap, but for one key size the two encodings have
    /// different lengths, so a signature of the right length is never misread; a misread
    /// one fails verification.)
    ///
    /// # Errors
    ///
    /// [`Error::MalformedSignature`] when the text is empty or neither encoding.
    pub fn parse(text: &str) -> Result<Self> {
        let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        if compact.is_empty() {
            return Err(Error::MalformedSignature { reason: "empty" });
        }
        let bytes = if compact.len().is_multiple_of(2) && compact.iter().all(u8::is_ascii_hexdigit)
        {
            encoding::hex_decode(&compact)
        } else {
            encoding::base64_decode(&compact)
        };
        match bytes {
            Some(bytes) if !bytes.is_empty() => Ok(Self(bytes)),
            _ => Err(Error::MalformedSignature {
                reason: "neither standard base64 nor hex",
            }),
        }
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Signature").field(&self.to_base64()).finish()
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl AsRef<[u8]> for Signature {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Something that makes RSASSA-PKCS1-v1_5 SHA-256 signatures over exact bytes.
///
/// Implemented by [`SigningKey`](crate::SigningKey); implement it yourself to sign with an
/// HSM or a KMS.
pub trait Signer {
    /// Signs `message` exactly as given (no trimming, no re-serialization).
    ///
    /// # Errors
    ///
    /// [`Error::Signing`] when the backend fails.
    fn sign(&self, message: &[u8]) -> Result<Signature>;
}

impl<T: Signer + ?Sized> Signer for &T {
    fn sign(&self, message: &[u8]) -> Result<Signature> {
        (**self).sign(message)
    }
}

/// A payload string together with its signature, so the two cannot drift apart.
///
/// Made only by signing ([`SignedPayload::sign`]) or by verifying
/// ([`SignedPayload::verify`]); there is no setter: a changed payload (a new amount, an
/// applied offer) is a new `SignedPayload`, signed again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPayload {
    payload: String,
    signature: Signature,
}

impl SignedPayload {
    /// Signs the exact UTF-8 bytes of `payload` (for example the `orderDetails` JSON string).
    ///
    /// # Errors
    ///
    /// Whatever the signer returns.
    pub fn sign(payload: String, signer: &impl Signer) -> Result<Self> {
        let signature = signer.sign(payload.as_bytes())?;
        Ok(Self { payload, signature })
    }

    /// Checks `signature` over `payload` and, when it verifies, keeps them together.
    ///
    /// # Errors
    ///
    /// [`Error::Verification`] when the signature does not verify (opaque).
    #[cfg(any(feature = "ring", feature = "rsa", feature = "aws-lc-rs"))]
    pub fn verify(
        payload: String,
        signature: Signature,
        key: &crate::VerifyingKey,
    ) -> Result<Self> {
        key.verify(payload.as_bytes(), &signature)?;
        Ok(Self { payload, signature })
    }

    /// The payload, byte for byte as signed.
    pub fn payload(&self) -> &str {
        &self.payload
    }

    /// The signature over [`payload`](Self::payload).
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Splits into payload and signature (for example to place them in an SDK request).
    pub fn into_parts(self) -> (String, Signature) {
        (self.payload, self.signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_wrapped_base64_and_hex() {
        let raw: Vec<u8> = (0u8..=255).collect();
        let sig = Signature::from_bytes(raw.clone());
        let b64 = sig.to_base64();
        let wrapped: String = b64
            .as_bytes()
            .chunks(76)
            .map(|c| core::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join("\r\n");
        assert_eq!(Signature::parse(&wrapped).unwrap().as_bytes(), &raw[..]);
        assert_eq!(Signature::parse(&(b64.clone() + "\n")).unwrap(), sig);
        assert_eq!(Signature::parse(&sig.to_hex()).unwrap(), sig);
        assert_eq!(Signature::parse(&sig.to_hex().to_uppercase()).unwrap(), sig);
    }

    #[test]
    fn parse_rejects_garbage() {
        assert!(matches!(
            Signature::parse(" \n"),
            Err(Error::MalformedSignature { .. })
        ));
        assert!(Signature::parse("not base64!").is_err());
        assert!(Signature::parse("abc").is_err(), "odd hex, bad base64");
        assert!(
            Signature::parse("a_b-").is_err(),
            "url-safe alphabet is refused"
        );
    }
}
