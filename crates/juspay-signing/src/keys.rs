//! RSA keys ([`SigningKey`], [`VerifyingKey`]) and the choice of [`Backend`].
//!
//! Loading is the same for both backends: the PEM armour is removed with `pem-rfc7468`, the
//! DER is checked structurally (PKCS#8 `PrivateKeyInfo` or SPKI unwrapped to the PKCS#1
//! `RSAPrivateKey`/`RSAPublicKey` inside, with the `rsaEncryption` OID), the modulus size is
//! checked, and then the backend parses the PKCS#1 DER into its own key type. Private key
//! bytes live only in zeroizing buffers on the way; afterwards they live in the backend's
//! key type (ring's `RsaKeyPair`, the `rsa` crate's `RsaPrivateKey`, both zeroize or keep
//! the material out of reach).

use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt;

use pkcs1::der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef, UintRef};
use pkcs1::der::{Decode, Reader, SliceReader};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::signature::{Signature, Signer};

/// Smallest accepted modulus (signing.md §2).
pub const MIN_KEY_BITS: usize = 2048;
/// Largest accepted modulus: the common limit of ring's key pairs and the `rsa` crate.
pub const MAX_KEY_BITS: usize = 4096;

/// `rsaEncryption` (1.2.840.113549.1.1.1), the algorithm of PKCS#8 and SPKI RSA keys.
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Which implementation of RSA does the arithmetic.
///
/// Both produce byte-identical signatures (RSASSA-PKCS1-v1_5 is deterministic); the choice
/// is about the platform and the side-channel posture, see the crate README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// `ring` (feature `ring`, default): constant-time, assembly-optimized; needs `std`.
    #[cfg(feature = "ring")]
    Ring,
    /// The pure-Rust `rsa` crate (feature `rsa`): `no_std` + `alloc`, for targets ring does
    /// not support. Carries advisory RUSTSEC-2023-0071 (timing); see the README.
    #[cfg(feature = "rsa")]
    Rsa,
}

impl Backend {
    /// The backend used by [`SigningKey::from_pem`] and friends: ring when compiled in.
    #[cfg(feature = "ring")]
    pub const DEFAULT: Self = Self::Ring;
    /// The backend used by [`SigningKey::from_pem`] and friends: ring when compiled in.
    #[cfg(not(feature = "ring"))]
    pub const DEFAULT: Self = Self::Rsa;

    /// Every backend compiled into this build.
    pub const ALL: &'static [Self] = &[
        #[cfg(feature = "ring")]
        Self::Ring,
        #[cfg(feature = "rsa")]
        Self::Rsa,
    ];
}

impl Default for Backend {
    fn default() -> Self {
        Self::DEFAULT
    }
}

// ---------------------------------------------------------------------------------------------
// Format handling shared by both backends.

fn malformed(reason: &'static str) -> Error {
    Error::MalformedKey { reason }
}

/// Bit length of a big-endian unsigned integer without leading zero bytes.
fn bit_length(bytes: &[u8]) -> usize {
    let Some((&first, rest)) = bytes.split_first() else {
        return 0;
    };
    let first_bits = 8usize.saturating_sub(usize::try_from(first.leading_zeros()).unwrap_or(8));
    rest.len().saturating_mul(8).saturating_add(first_bits)
}

fn check_bits(modulus: UintRef<'_>) -> Result<usize> {
    let bits = bit_length(modulus.as_bytes());
    if (MIN_KEY_BITS..=MAX_KEY_BITS).contains(&bits) {
        Ok(bits)
    } else {
        Err(Error::KeySize { bits })
    }
}

/// Largest accepted public exponent, 2^33 - 1: the limit of ring and of the `rsa` crate.
const MAX_PUBLIC_EXPONENT: u64 = (1 << 33) - 1;
/// Smallest public exponent of a public key: ring verifies with nothing smaller.
const MIN_PUBLIC_EXPONENT: u64 = 3;
/// Smallest public exponent of a private key: ring loads no key pair with a smaller one,
/// and both backends must accept the same keys.
const MIN_PRIVATE_KEY_EXPONENT: u64 = 65_537;

/// Checks the public exponent: odd and in `min..=2^33-1`, the same rule for every backend
/// (an exponent of 1 would make every message its own signature).
fn check_exponent(exponent: UintRef<'_>, min: u64, reason: &'static str) -> Result<()> {
    let bytes = exponent.as_bytes();
    let value = if bytes.len() <= 8 {
        bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
    } else {
        u64::MAX
    };
    if value & 1 == 1 && (min..=MAX_PUBLIC_EXPONENT).contains(&value) {
        Ok(())
    } else {
        Err(malformed(reason))
    }
}

/// The single PEM block of `pem`, without the explanatory text RFC 7468 allows around it.
///
/// Text before `-----BEGIN` and after the matching `-----END <label>-----` line is
/// ignored (as OpenSSL does); a second block is refused, because which key was meant is
/// then ambiguous.
fn single_pem_block(pem: &str) -> Result<&str> {
    let start = pem
        .find("-----BEGIN ")
        .ok_or(malformed("pem: no \"-----BEGIN ...-----\" line"))?;
    let block = pem.get(start..).unwrap_or_default();
    let label_end = block
        .get(11..)
        .and_then(|rest| rest.find("-----"))
        .ok_or(malformed("pem: no valid \"-----BEGIN ...-----\" line"))?;
    let label = block
        .get(11..11_usize.saturating_add(label_end))
        .unwrap_or_default();
    let end = block
        .find("-----END ")
        .and_then(|at| {
            let rest = block.get(at..)?;
            let tail = rest.strip_prefix("-----END ")?.strip_prefix(label)?;
            tail.starts_with("-----").then(|| {
                at.saturating_add("-----END ".len())
                    .saturating_add(label.len())
                    .saturating_add("-----".len())
            })
        })
        .ok_or(malformed(
            "pem: no \"-----END ...-----\" line matching the BEGIN line",
        ))?;
    let (block, after) = block.split_at_checked(end).unwrap_or((block, ""));
    if after.contains("-----BEGIN ") {
        return Err(malformed(
            "pem: more than one PEM block; give a file holding exactly one key",
        ));
    }
    if block.contains("Proc-Type:") || block.contains("DEK-Info:") {
        return Err(malformed(
            "pem: encrypted key (Proc-Type header) is not supported; decrypt it first",
        ));
    }
    Ok(block)
}

/// Removes PEM armour, returning the label and the DER bytes (zeroized on drop).
fn decode_pem(pem: &str) -> Result<(alloc::string::String, Zeroizing<Vec<u8>>)> {
    let pem = single_pem_block(pem)?.as_bytes();
    let label = pem_rfc7468::decode_label(pem)
        .map_err(|_| malformed("pem: no valid \"-----BEGIN ...-----\" line"))?
        .to_string();
    let (_, der) =
        pem_rfc7468::decode_vec(pem).map_err(|_| malformed("pem: bad armour or base64 body"))?;
    Ok((label, Zeroizing::new(der)))
}

/// Unwraps a PKCS#8 `PrivateKeyInfo` to the PKCS#1 `RSAPrivateKey` it holds.
fn pkcs8_to_pkcs1(der: &[u8]) -> Result<&[u8]> {
    let parse = |der| -> pkcs1::der::Result<(ObjectIdentifier, &[u8])> {
        let mut reader = SliceReader::new(der)?;
        let inner = reader.sequence(|r| {
            let _version = UintRef::decode(r)?;
            let oid = r.sequence(|r| {
                let oid = ObjectIdentifier::decode(r)?;
                let _parameters: Option<AnyRef<'_>> = r.decode()?;
                Ok(oid)
            })?;
            let key = OctetStringRef::decode(r)?;
            // Optional [0] attributes and [1] public key (PKCS#8 v2) are not needed.
            let rest = r.remaining_len();
            r.read_slice(rest)?;
            Ok((oid, key.as_bytes()))
        })?;
        reader.finish(inner)
    };
    let (oid, key) = parse(der).map_err(|_| malformed("der: not a PKCS#8 PrivateKeyInfo"))?;
    if oid != RSA_ENCRYPTION {
        return Err(malformed("pkcs#8: algorithm is not rsaEncryption"));
    }
    Ok(key)
}

/// Whether `der` is a PKCS#8 `EncryptedPrivateKeyInfo`: an algorithm identifier, then an
/// octet string (a `PrivateKeyInfo` starts with its version number instead).
fn is_encrypted_pkcs8(der: &[u8]) -> bool {
    let parse = |der| -> pkcs1::der::Result<()> {
        let mut reader = SliceReader::new(der)?;
        reader.sequence(|r| {
            r.sequence(|r| {
                let _oid = ObjectIdentifier::decode(r)?;
                let rest = r.remaining_len();
                r.read_slice(rest)?;
                Ok(())
            })?;
            let _data = OctetStringRef::decode(r)?;
            Ok(())
        })?;
        reader.finish(())
    };
    parse(der).is_ok()
}

/// Unwraps an SPKI `SubjectPublicKeyInfo` to the PKCS#1 `RSAPublicKey` it holds.
fn spki_to_pkcs1(der: &[u8]) -> Result<&[u8]> {
    let parse = |der| -> pkcs1::der::Result<(ObjectIdentifier, Option<&[u8]>)> {
        let mut reader = SliceReader::new(der)?;
        let inner = reader.sequence(|r| {
            let oid = r.sequence(|r| {
                let oid = ObjectIdentifier::decode(r)?;
                let _parameters: Option<AnyRef<'_>> = r.decode()?;
                Ok(oid)
            })?;
            let key = BitStringRef::decode(r)?;
            Ok((oid, key.as_bytes()))
        })?;
        reader.finish(inner)
    };
    let (oid, key) = parse(der).map_err(|_| malformed("der: not a SubjectPublicKeyInfo (SPKI)"))?;
    if oid != RSA_ENCRYPTION {
        return Err(malformed("spki: algorithm is not rsaEncryption"));
    }
    key.ok_or_else(|| malformed("spki: public key bit string has unused bits"))
}

/// Validated PKCS#1 `RSAPrivateKey` DER, zeroized on drop, and its modulus size.
struct PrivatePkcs1 {
    der: Zeroizing<Vec<u8>>,
    bits: usize,
}

impl PrivatePkcs1 {
    fn from_pkcs1(der: &[u8]) -> Result<Self> {
        let key = pkcs1::RsaPrivateKey::try_from(der)
            .map_err(|_| malformed("der: not a PKCS#1 RSAPrivateKey"))?;
        if key.other_prime_infos.is_some() {
            return Err(malformed("pkcs#1: multi-prime keys are not supported"));
        }
        let bits = check_bits(key.modulus)?;
        check_exponent(
            key.public_exponent,
            MIN_PRIVATE_KEY_EXPONENT,
            "rsa public exponent must be odd and between 65537 and 2^33-1",
        )?;
        Ok(Self {
            der: Zeroizing::new(der.to_vec()),
            bits,
        })
    }

    /// PKCS#1 if it parses as one, else PKCS#8.
    fn from_der(der: &[u8]) -> Result<Self> {
        if pkcs1::RsaPrivateKey::try_from(der).is_ok() {
            Self::from_pkcs1(der)
        } else {
            Self::from_pkcs1(pkcs8_to_pkcs1(der).map_err(|_| {
                if is_encrypted_pkcs8(der) {
                    malformed(
                        "der: encrypted PKCS#8 key (EncryptedPrivateKeyInfo) is not supported; decrypt it first",
                    )
                } else {
                    malformed(
                        "der: neither PKCS#1 RSAPrivateKey nor PKCS#8 PrivateKeyInfo of an RSA key",
                    )
                }
            })?)
        }
    }

    fn from_pem(pem: &str) -> Result<Self> {
        let (label, der) = decode_pem(pem)?;
        match label.as_str() {
            "RSA PRIVATE KEY" => Self::from_pkcs1(&der),
            "PRIVATE KEY" => Self::from_pkcs1(pkcs8_to_pkcs1(&der)?),
            _ => Err(Error::UnsupportedKeyType { label }),
        }
    }
}

/// Validated PKCS#1 `RSAPublicKey` DER and its modulus size.
struct PublicPkcs1 {
    der: Vec<u8>,
    bits: usize,
}

impl PublicPkcs1 {
    fn from_pkcs1(der: &[u8]) -> Result<Self> {
        let key = pkcs1::RsaPublicKey::try_from(der)
            .map_err(|_| malformed("der: not a PKCS#1 RSAPublicKey"))?;
        let bits = check_bits(key.modulus)?;
        check_exponent(
            key.public_exponent,
            MIN_PUBLIC_EXPONENT,
            "rsa public exponent must be odd and between 3 and 2^33-1",
        )?;
        Ok(Self {
            der: der.to_vec(),
            bits,
        })
    }

    /// PKCS#1 if it parses as one, else SPKI.
    fn from_der(der: &[u8]) -> Result<Self> {
        if pkcs1::RsaPublicKey::try_from(der).is_ok() {
            Self::from_pkcs1(der)
        } else {
            Self::from_pkcs1(spki_to_pkcs1(der).map_err(|_| {
                malformed(
                    "der: neither SPKI SubjectPublicKeyInfo nor PKCS#1 RSAPublicKey of an RSA key",
                )
            })?)
        }
    }

    fn from_pem(pem: &str) -> Result<Self> {
        let (label, der) = decode_pem(pem)?;
        match label.as_str() {
            "PUBLIC KEY" => Self::from_pkcs1(spki_to_pkcs1(&der)?),
            "RSA PUBLIC KEY" => Self::from_pkcs1(&der),
            _ => Err(Error::UnsupportedKeyType { label }),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Signing key.

enum SigningInner {
    #[cfg(feature = "ring")]
    Ring(ring::rsa::KeyPair),
    #[cfg(feature = "rsa")]
    Rsa(rsa::pkcs1v15::SigningKey<sha2::Sha256>),
}

/// An RSA private key of 2048 to 4096 bits that signs with RSASSA-PKCS1-v1_5 and SHA-256.
///
/// The key material lives in the backend's own key type; `Debug` shows only the backend
/// and the modulus size.
pub struct SigningKey {
    inner: SigningInner,
    bits: usize,
}

impl SigningKey {
    /// Loads a PEM private key, PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8
    /// (`BEGIN PRIVATE KEY`), on the [default backend](Backend::DEFAULT).
    ///
    /// # Errors
    ///
    /// [`Error::MalformedKey`], [`Error::UnsupportedKeyType`] (for example an encrypted
    /// key), [`Error::KeySize`].
    pub fn from_pem(pem: &str) -> Result<Self> {
        Self::from_pem_with(Backend::DEFAULT, pem)
    }

    /// Loads a DER private key (PKCS#1 or PKCS#8, detected) on the default backend.
    ///
    /// # Errors
    ///
    /// As [`SigningKey::from_pem`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        Self::from_der_with(Backend::DEFAULT, der)
    }

    /// Loads a PEM private key on the given backend.
    ///
    /// # Errors
    ///
    /// As [`SigningKey::from_pem`].
    pub fn from_pem_with(backend: Backend, pem: &str) -> Result<Self> {
        Self::load(backend, &PrivatePkcs1::from_pem(pem)?)
    }

    /// Loads a DER private key (PKCS#1 or PKCS#8, detected) on the given backend.
    ///
    /// # Errors
    ///
    /// As [`SigningKey::from_pem`].
    pub fn from_der_with(backend: Backend, der: &[u8]) -> Result<Self> {
        Self::load(backend, &PrivatePkcs1::from_der(der)?)
    }

    fn load(backend: Backend, key: &PrivatePkcs1) -> Result<Self> {
        let inner = match backend {
            #[cfg(feature = "ring")]
            Backend::Ring => SigningInner::Ring(
                ring::rsa::KeyPair::from_der(&key.der)
                    .map_err(|_| malformed("ring rejected the RSA private key"))?,
            ),
            #[cfg(feature = "rsa")]
            Backend::Rsa => {
                use rsa::pkcs1::DecodeRsaPrivateKey as _;
                let private = rsa::RsaPrivateKey::from_pkcs1_der(&key.der)
                    .map_err(|_| malformed("the rsa crate rejected the RSA private key"))?;
                SigningInner::Rsa(rsa::pkcs1v15::SigningKey::new(private))
            }
        };
        Ok(Self {
            inner,
            bits: key.bits,
        })
    }

    /// The backend doing the arithmetic.
    pub const fn backend(&self) -> Backend {
        match self.inner {
            #[cfg(feature = "ring")]
            SigningInner::Ring(_) => Backend::Ring,
            #[cfg(feature = "rsa")]
            SigningInner::Rsa(_) => Backend::Rsa,
        }
    }

    /// Bit length of the modulus.
    pub const fn bits(&self) -> usize {
        self.bits
    }

    /// The matching public key, on the same backend.
    ///
    /// # Errors
    ///
    /// Not in practice: the public half of a loaded key is always valid.
    pub fn verifying_key(&self) -> Result<VerifyingKey> {
        match &self.inner {
            #[cfg(feature = "ring")]
            SigningInner::Ring(key) => {
                use ring::signature::KeyPair as _;
                VerifyingKey::load(
                    Backend::Ring,
                    PublicPkcs1::from_pkcs1(key.public_key().as_ref())?,
                )
            }
            #[cfg(feature = "rsa")]
            SigningInner::Rsa(key) => {
                use rsa::signature::Keypair as _;
                Ok(VerifyingKey {
                    inner: VerifyingInner::Rsa(key.verifying_key()),
                    bits: self.bits,
                })
            }
        }
    }

    /// Signs with blinding driven by the caller's random number generator.
    ///
    /// Only the `rsa` backend needs this: its [`Signer::sign`] computes the private-key
    /// operation without blinding, because a `no_std` target has no random source of its
    /// own. Pass a CSPRNG here when one exists. The signature is the same either way
    /// (PKCS#1 v1.5 is deterministic). ring's arithmetic is constant-time and needs no
    /// blinding: on the ring backend `rng` is ignored.
    ///
    /// # Errors
    ///
    /// [`Error::Signing`] when the backend fails.
    #[cfg(feature = "rsa")]
    pub fn sign_with_rng<R>(&self, rng: &mut R, message: &[u8]) -> Result<Signature>
    where
        R: rsa::rand_core::CryptoRngCore,
    {
        match &self.inner {
            #[cfg(feature = "ring")]
            SigningInner::Ring(_) => {
                let _ = rng;
                self.sign(message)
            }
            SigningInner::Rsa(key) => {
                use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _};
                let signature = key
                    .try_sign_with_rng(rng, message)
                    .map_err(|_| Error::Signing)?;
                Ok(Signature::from_bytes(signature.to_vec()))
            }
        }
    }
}

impl Signer for SigningKey {
    fn sign(&self, message: &[u8]) -> Result<Signature> {
        match &self.inner {
            #[cfg(feature = "ring")]
            SigningInner::Ring(key) => {
                let rng = ring::rand::SystemRandom::new();
                let mut out = alloc::vec![0u8; key.public().modulus_len()];
                key.sign(&ring::signature::RSA_PKCS1_SHA256, &rng, message, &mut out)
                    .map_err(|_| Error::Signing)?;
                Ok(Signature::from_bytes(out))
            }
            #[cfg(feature = "rsa")]
            SigningInner::Rsa(key) => {
                // `Signer` (not `RandomizedSigner`): no blinding, see `sign_with_rng`.
                use rsa::signature::{SignatureEncoding as _, Signer as _};
                let signature = key.try_sign(message).map_err(|_| Error::Signing)?;
                Ok(Signature::from_bytes(signature.to_vec()))
            }
        }
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("backend", &self.backend())
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------------
// Verifying key.

#[derive(Clone)]
enum VerifyingInner {
    /// PKCS#1 `RSAPublicKey` DER, what ring's `UnparsedPublicKey` takes.
    #[cfg(feature = "ring")]
    Ring(Vec<u8>),
    #[cfg(feature = "rsa")]
    Rsa(rsa::pkcs1v15::VerifyingKey<sha2::Sha256>),
}

/// An RSA public key of 2048 to 4096 bits that verifies RSASSA-PKCS1-v1_5 SHA-256 signatures.
#[derive(Clone)]
pub struct VerifyingKey {
    inner: VerifyingInner,
    bits: usize,
}

impl VerifyingKey {
    /// Loads a PEM public key, SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`),
    /// on the default backend.
    ///
    /// # Errors
    ///
    /// [`Error::MalformedKey`], [`Error::UnsupportedKeyType`], [`Error::KeySize`].
    pub fn from_pem(pem: &str) -> Result<Self> {
        Self::from_pem_with(Backend::DEFAULT, pem)
    }

    /// Loads a DER public key (SPKI or PKCS#1, detected) on the default backend.
    ///
    /// # Errors
    ///
    /// As [`VerifyingKey::from_pem`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        Self::from_der_with(Backend::DEFAULT, der)
    }

    /// Loads a PEM public key on the given backend.
    ///
    /// # Errors
    ///
    /// As [`VerifyingKey::from_pem`].
    pub fn from_pem_with(backend: Backend, pem: &str) -> Result<Self> {
        Self::load(backend, PublicPkcs1::from_pem(pem)?)
    }

    /// Loads a DER public key (SPKI or PKCS#1, detected) on the given backend.
    ///
    /// # Errors
    ///
    /// As [`VerifyingKey::from_pem`].
    pub fn from_der_with(backend: Backend, der: &[u8]) -> Result<Self> {
        Self::load(backend, PublicPkcs1::from_der(der)?)
    }

    fn load(backend: Backend, key: PublicPkcs1) -> Result<Self> {
        let inner = match backend {
            #[cfg(feature = "ring")]
            Backend::Ring => VerifyingInner::Ring(key.der),
            #[cfg(feature = "rsa")]
            Backend::Rsa => {
                use rsa::pkcs1::DecodeRsaPublicKey as _;
                let public = rsa::RsaPublicKey::from_pkcs1_der(&key.der)
                    .map_err(|_| malformed("the rsa crate rejected the RSA public key"))?;
                VerifyingInner::Rsa(rsa::pkcs1v15::VerifyingKey::new(public))
            }
        };
        Ok(Self {
            inner,
            bits: key.bits,
        })
    }

    /// The backend doing the arithmetic.
    pub const fn backend(&self) -> Backend {
        match self.inner {
            #[cfg(feature = "ring")]
            VerifyingInner::Ring(_) => Backend::Ring,
            #[cfg(feature = "rsa")]
            VerifyingInner::Rsa(_) => Backend::Rsa,
        }
    }

    /// Bit length of the modulus.
    pub const fn bits(&self) -> usize {
        self.bits
    }

    /// Verifies `signature` over the exact bytes of `message`.
    ///
    /// # Errors
    ///
    /// [`Error::Verification`], without detail, when the signature does not verify (wrong
    /// key, changed message, wrong length, or not a signature at all).
    pub fn verify(&self, message: &[u8], signature: &Signature) -> Result<()> {
        match &self.inner {
            #[cfg(feature = "ring")]
            VerifyingInner::Ring(der) => ring::signature::UnparsedPublicKey::new(
                &ring::signature::RSA_PKCS1_2048_8192_SHA256,
                der,
            )
            .verify(message, signature.as_bytes())
            .map_err(|_| Error::Verification),
            #[cfg(feature = "rsa")]
            VerifyingInner::Rsa(key) => {
                use rsa::signature::Verifier as _;
                let signature = rsa::pkcs1v15::Signature::try_from(signature.as_bytes())
                    .map_err(|_| Error::Verification)?;
                key.verify(message, &signature)
                    .map_err(|_| Error::Verification)
            }
        }
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("backend", &self.backend())
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_length_counts_from_the_top_bit() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x7f, 0xff]), 15);
        let mut n = alloc::vec![0xffu8; 256];
        assert_eq!(bit_length(&n), 2048);
        n[0] = 0x7f;
        assert_eq!(bit_length(&n), 2047);
    }

    #[test]
    fn garbage_is_a_malformed_key() {
        assert!(matches!(
            PrivatePkcs1::from_der(b"\x30\x03\x02\x01\x00"),
            Err(Error::MalformedKey { .. })
        ));
        assert!(matches!(
            PublicPkcs1::from_der(b"nonsense"),
            Err(Error::MalformedKey { .. })
        ));
        assert!(matches!(
            PrivatePkcs1::from_pem(
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
            ),
            Err(Error::UnsupportedKeyType { .. })
        ));
        assert!(matches!(
            PrivatePkcs1::from_pem("hello"),
            Err(Error::MalformedKey { .. })
        ));
    }
}
