//! RSA keys ([`SigningKey`], [`VerifyingKey`]) and the choice of [`Backend`].
//!
//! Every backend shares the format checks (PEM armour, PKCS#8/SPKI unwrapped to PKCS#1,
//! modulus size, public exponent); the backend then parses the checked PKCS#1 DER, which
//! lives only in zeroizing buffers on the way.

use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt;

use pkcs1::der::asn1::{ObjectIdentifier, OctetStringRef, UintRef};
use pkcs1::der::{Decode, Reader, SliceReader};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::signature::{Signature, Signer};

/// Smallest accepted modulus (`docs/spec/signing.md` §2).
pub const MIN_KEY_BITS: usize = 2048;
/// Largest accepted modulus: the largest that ring verifies and that aws-lc-rs loads.
///
/// ring signs with keys of at most [`RING_MAX_SIGNING_KEY_BITS`]; a larger private key
/// loaded without naming a backend goes to the next compiled backend (aws-lc-rs, then
/// `rsa`). Keys this large are slow (an 8192-bit signature costs about 30 times a
/// 2048-bit one) and nothing in the Juspay integration needs them.
pub const MAX_KEY_BITS: usize = 8192;

/// Largest private key ring signs with (ring's own limit; it verifies up to [`MAX_KEY_BITS`]).
pub const RING_MAX_SIGNING_KEY_BITS: usize = 4096;

/// `rsaEncryption` (1.2.840.113549.1.1.1), the algorithm of PKCS#8 and SPKI RSA keys.
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Which implementation of RSA does the arithmetic.
///
/// All produce byte-identical signatures (RSASSA-PKCS1-v1_5 is deterministic); the choice
/// is about the platform and the side-channel posture, see the crate README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Backend {
    /// `ring` (feature `ring`, default): constant-time, assembly-optimized; needs `std`.
    #[cfg(feature = "ring")]
    #[default]
    Ring,
    /// The pure-Rust `rsa` crate (feature `rsa`): `no_std` + `alloc`, for targets ring does
    /// not support. Carries advisory RUSTSEC-2023-0071 (timing); see the README.
    #[cfg(feature = "rsa")]
    #[cfg_attr(not(any(feature = "ring", feature = "aws-lc-rs")), default)]
    Rsa,
    /// aws-lc-rs (feature `aws-lc-rs`): AWS-LC's constant-time RSA, with the AVX-512 IFMA
    /// code path ring lacks; needs `std` and a C toolchain.
    #[cfg(feature = "aws-lc-rs")]
    #[cfg_attr(not(feature = "ring"), default)]
    AwsLc,
}

impl Backend {
    /// The backend used by [`SigningKey::from_pem`] and friends: ring when compiled in.
    pub const DEFAULT: Self = Self::ALL[0];

    /// Every backend compiled into this build.
    pub const ALL: &'static [Self] = &[
        #[cfg(feature = "ring")]
        Self::Ring,
        #[cfg(feature = "aws-lc-rs")]
        Self::AwsLc,
        #[cfg(feature = "rsa")]
        Self::Rsa,
    ];

    /// Whether this backend holds a private key of `bits` bits.
    const fn signs_with(self, bits: usize) -> bool {
        let max = match self {
            #[cfg(feature = "ring")]
            Self::Ring => RING_MAX_SIGNING_KEY_BITS,
            #[cfg(feature = "rsa")]
            Self::Rsa => MAX_KEY_BITS,
            #[cfg(feature = "aws-lc-rs")]
            Self::AwsLc => MAX_KEY_BITS,
        };
        bits <= max
    }
}

fn malformed(reason: &'static str) -> Error {
    Error::MalformedKey { reason }
}

/// Bit length of a big-endian unsigned integer without leading zero bytes.
fn bit_length(bytes: &[u8]) -> usize {
    bytes.first().map_or(0, |first| {
        let unused = usize::try_from(first.leading_zeros()).unwrap_or(8);
        bytes.len().saturating_mul(8).saturating_sub(unused)
    })
}

/// Which half of an RSA key is being loaded: the format rules of the two differ only in
/// these details.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Private,
    Public,
}

impl Kind {
    /// Checks the public exponent: odd and in `min..=2^33-1`, the same rule for every
    /// backend (an exponent of 1 would make every message its own signature). ring verifies
    /// with nothing below 3 and loads no key pair below 65537; 2^33-1 is the limit of ring
    /// and of the `rsa` crate.
    fn check_exponent(self, exponent: UintRef<'_>) -> Result<()> {
        let (min, reason) = match self {
            Self::Private => (
                65_537,
                "rsa public exponent must be odd and between 65537 and 2^33-1",
            ),
            Self::Public => (
                3,
                "rsa public exponent must be odd and between 3 and 2^33-1",
            ),
        };
        let bytes = exponent.as_bytes();
        let value = if bytes.len() <= 8 {
            bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
        } else {
            u64::MAX
        };
        if value & 1 == 1 && (min..=(1 << 33) - 1).contains(&value) {
            Ok(())
        } else {
            Err(malformed(reason))
        }
    }

    /// Modulus, public exponent and whether it is a multi-prime key, of PKCS#1 DER.
    fn pkcs1(self, der: &[u8]) -> Result<(UintRef<'_>, UintRef<'_>, bool)> {
        match self {
            Self::Private => pkcs1::RsaPrivateKey::try_from(der)
                .map(|k| (k.modulus, k.public_exponent, k.other_prime_infos.is_some()))
                .map_err(|_| malformed("der: not a PKCS#1 RSAPrivateKey")),
            Self::Public => pkcs1::RsaPublicKey::try_from(der)
                .map(|k| (k.modulus, k.public_exponent, false))
                .map_err(|_| malformed("der: not a PKCS#1 RSAPublicKey")),
        }
    }

    /// Unwraps a PKCS#8 `PrivateKeyInfo` (private) or an SPKI `SubjectPublicKeyInfo`
    /// (public) to the PKCS#1 key it holds.
    fn unwrap(self, der: &[u8]) -> Result<&[u8]> {
        let (oid, key) = match self {
            Self::Private => pkcs8::PrivateKeyInfo::try_from(der)
                .map(|info| (info.algorithm.oid, Some(info.private_key)))
                .map_err(|_| malformed("der: not a PKCS#8 PrivateKeyInfo"))?,
            Self::Public => spki::SubjectPublicKeyInfoRef::try_from(der)
                .map(|info| (info.algorithm.oid, info.subject_public_key.as_bytes()))
                .map_err(|_| malformed("der: not a SubjectPublicKeyInfo (SPKI)"))?,
        };
        match (oid == RSA_ENCRYPTION, self) {
            (true, _) => key.ok_or(malformed("spki: public key bit string has unused bits")),
            (false, Self::Private) => Err(malformed("pkcs#8: algorithm is not rsaEncryption")),
            (false, Self::Public) => Err(malformed("spki: algorithm is not rsaEncryption")),
        }
    }
}

/// The single PEM block of `pem`, without the explanatory text RFC 7468 allows around it.
///
/// Text before `-----BEGIN` and after the matching `-----END <label>-----` line is
/// ignored (as OpenSSL does); a second block is refused, because which key was meant is
/// then ambiguous.
fn single_pem_block(pem: &str) -> Result<&str> {
    let block = pem
        .find("-----BEGIN ")
        .and_then(|start| pem.get(start..))
        .ok_or(malformed("pem: no \"-----BEGIN ...-----\" line"))?;
    let (label, _) = block
        .get(11..)
        .and_then(|rest| rest.split_once("-----"))
        .ok_or(malformed("pem: no valid \"-----BEGIN ...-----\" line"))?;
    let end_line = alloc::format!("-----END {label}-----");
    let (block, after) = block
        .find("-----END ")
        .filter(|&at| {
            block
                .get(at..)
                .is_some_and(|rest| rest.starts_with(&end_line))
        })
        .and_then(|at| block.split_at_checked(at.saturating_add(end_line.len())))
        .ok_or(malformed(
            "pem: no \"-----END ...-----\" line matching the BEGIN line",
        ))?;
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

/// Whether `der` is a PKCS#8 `EncryptedPrivateKeyInfo`: an algorithm identifier, then an
/// octet string (a `PrivateKeyInfo` starts with its version number instead).
fn is_encrypted_pkcs8(der: &[u8]) -> bool {
    SliceReader::new(der)
        .and_then(|mut reader| {
            reader.sequence(|r| {
                spki::AlgorithmIdentifierRef::decode(r)?;
                OctetStringRef::decode(r)
            })?;
            reader.finish(())
        })
        .is_ok()
}

/// Checked PKCS#1 `RSAPrivateKey`/`RSAPublicKey` DER (zeroized on drop), its modulus size.
struct Pkcs1 {
    der: Zeroizing<Vec<u8>>,
    bits: usize,
}

impl Pkcs1 {
    fn from_pkcs1(kind: Kind, der: &[u8]) -> Result<Self> {
        let (modulus, exponent, multi_prime) = kind.pkcs1(der)?;
        if multi_prime {
            return Err(malformed("pkcs#1: multi-prime keys are not supported"));
        }
        let bits = bit_length(modulus.as_bytes());
        if !(MIN_KEY_BITS..=MAX_KEY_BITS).contains(&bits) {
            return Err(Error::KeySize { bits });
        }
        kind.check_exponent(exponent)?;
        Ok(Self {
            der: Zeroizing::new(der.to_vec()),
            bits,
        })
    }

    /// PKCS#1 if it parses as one, else PKCS#8 (private) or SPKI (public).
    fn from_der(kind: Kind, der: &[u8]) -> Result<Self> {
        if kind.pkcs1(der).is_ok() {
            return Self::from_pkcs1(kind, der);
        }
        let inner = kind.unwrap(der).map_err(|_| {
            malformed(match kind {
                Kind::Private if is_encrypted_pkcs8(der) => {
                    "der: encrypted PKCS#8 key (EncryptedPrivateKeyInfo) is not supported; decrypt it first"
                }
                Kind::Private => {
                    "der: neither PKCS#1 RSAPrivateKey nor PKCS#8 PrivateKeyInfo of an RSA key"
                }
                Kind::Public => {
                    "der: neither SPKI SubjectPublicKeyInfo nor PKCS#1 RSAPublicKey of an RSA key"
                }
            })
        })?;
        Self::from_pkcs1(kind, inner)
    }

    fn from_pem(kind: Kind, pem: &str) -> Result<Self> {
        let (label, der) = pem_rfc7468::decode_vec(single_pem_block(pem)?.as_bytes())
            .map_err(|_| malformed("pem: bad armour or base64 body"))?;
        let der = Zeroizing::new(der);
        match (kind, label) {
            (Kind::Private, "RSA PRIVATE KEY") | (Kind::Public, "RSA PUBLIC KEY") => {
                Self::from_pkcs1(kind, &der)
            }
            (Kind::Private, "PRIVATE KEY") | (Kind::Public, "PUBLIC KEY") => {
                Self::from_pkcs1(kind, kind.unwrap(&der)?)
            }
            _ => Err(Error::UnsupportedKeyType {
                label: label.to_string(),
            }),
        }
    }
}

/// The loading constructors, `backend()`, `bits()` and `Debug`, the same on both key types.
macro_rules! key_common {
    ($key:ident, $inner:ident, $kind:expr, $what:literal, $der:literal, $formats:literal, $errors:literal) => {
        impl $key {
            #[doc = concat!("Loads a PEM ", $what, " key, ", $formats, ", on the [default backend](Backend::DEFAULT).")]
            ///
            /// # Errors
            ///
            #[doc = $errors]
            pub fn from_pem(pem: &str) -> Result<Self> {
                let key = Pkcs1::from_pem($kind, pem)?;
                Self::load(Self::default_backend(key.bits), &key)
            }

            #[doc = concat!("Loads a DER ", $what, " key (", $der, ", detected) on the default backend.")]
            ///
            /// # Errors
            ///
            #[doc = concat!("As [`", stringify!($key), "::from_pem`].")]
            pub fn from_der(der: &[u8]) -> Result<Self> {
                let key = Pkcs1::from_der($kind, der)?;
                Self::load(Self::default_backend(key.bits), &key)
            }

            #[doc = concat!("Loads a PEM ", $what, " key on the given backend.")]
            ///
            /// # Errors
            ///
            #[doc = concat!("As [`", stringify!($key), "::from_pem`].")]
            pub fn from_pem_with(backend: Backend, pem: &str) -> Result<Self> {
                Self::load(backend, &Pkcs1::from_pem($kind, pem)?)
            }

            #[doc = concat!("Loads a DER ", $what, " key (", $der, ", detected) on the given backend.")]
            ///
            /// # Errors
            ///
            #[doc = concat!("As [`", stringify!($key), "::from_pem`].")]
            pub fn from_der_with(backend: Backend, der: &[u8]) -> Result<Self> {
                Self::load(backend, &Pkcs1::from_der($kind, der)?)
            }

            fn load(backend: Backend, key: &Pkcs1) -> Result<Self> {
                let inner = $inner::new(backend, &key.der, key.bits)?;
                Ok(Self { inner, bits: key.bits })
            }

            /// The backend doing the arithmetic.
            pub const fn backend(&self) -> Backend {
                match self.inner {
                    #[cfg(feature = "ring")]
                    $inner::Ring(_) => Backend::Ring,
                    #[cfg(feature = "rsa")]
                    $inner::Rsa(_) => Backend::Rsa,
                    #[cfg(feature = "aws-lc-rs")]
                    $inner::AwsLc(_) => Backend::AwsLc,
                }
            }

            /// Bit length of the modulus.
            pub const fn bits(&self) -> usize {
                self.bits
            }
        }

        impl fmt::Debug for $key {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($key))
                    .field("backend", &self.backend())
                    .field("bits", &self.bits)
                    .finish_non_exhaustive()
            }
        }
    };
}

enum SigningInner {
    #[cfg(feature = "ring")]
    Ring(ring::rsa::KeyPair),
    #[cfg(feature = "rsa")]
    Rsa(rsa::pkcs1v15::SigningKey<sha2::Sha256>),
    #[cfg(feature = "aws-lc-rs")]
    AwsLc(aws_lc_rs::rsa::KeyPair),
}

/// An RSA private key of 2048 to 8192 bits ([`MAX_KEY_BITS`]) that signs with RSASSA-PKCS1-v1_5 and SHA-256.
///
/// The key material lives in the backend's own key type; `Debug` shows only the backend
/// and the modulus size.
pub struct SigningKey {
    inner: SigningInner,
    bits: usize,
}

key_common!(
    SigningKey,
    SigningInner,
    Kind::Private,
    "private",
    "PKCS#1 or PKCS#8",
    "PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`)",
    "[`Error::MalformedKey`], [`Error::UnsupportedKeyType`] (for example an encrypted key), [`Error::KeySize`]."
);

impl SigningInner {
    fn new(backend: Backend, der: &[u8], bits: usize) -> Result<Self> {
        if !backend.signs_with(bits) {
            return Err(Error::KeyTooLargeForBackend {
                bits,
                max: RING_MAX_SIGNING_KEY_BITS,
            });
        }
        Ok(match backend {
            #[cfg(feature = "ring")]
            Backend::Ring => Self::Ring(
                ring::rsa::KeyPair::from_der(der)
                    .map_err(|_| malformed("ring rejected the RSA private key"))?,
            ),
            #[cfg(feature = "rsa")]
            Backend::Rsa => {
                use rsa::pkcs1::DecodeRsaPrivateKey as _;
                let private = rsa::RsaPrivateKey::from_pkcs1_der(der)
                    .map_err(|_| malformed("the rsa crate rejected the RSA private key"))?;
                Self::Rsa(rsa::pkcs1v15::SigningKey::new(private))
            }
            #[cfg(feature = "aws-lc-rs")]
            Backend::AwsLc => Self::AwsLc(
                aws_lc_rs::rsa::KeyPair::from_der(der)
                    .map_err(|_| malformed("aws-lc-rs rejected the RSA private key"))?,
            ),
        })
    }
}

impl SigningKey {
    /// The backend [`SigningKey::from_pem`] and [`SigningKey::from_der`] use for a key of
    /// `bits` bits: [`Backend::DEFAULT`], or the next compiled backend when the default
    /// cannot sign with a key that large (ring stops at [`RING_MAX_SIGNING_KEY_BITS`]).
    fn default_backend(bits: usize) -> Backend {
        Backend::ALL
            .iter()
            .copied()
            .find(|backend| backend.signs_with(bits))
            .unwrap_or(Backend::DEFAULT)
    }

    /// The aws-lc-rs key pair, when this key lives on the aws-lc-rs backend: for crates of
    /// this workspace that need the same key for other RSA operations (`juspay-jose`
    /// decrypts RSA-OAEP with it).
    #[cfg(feature = "aws-lc-rs")]
    pub const fn aws_lc_key_pair(&self) -> Option<&aws_lc_rs::rsa::KeyPair> {
        match &self.inner {
            SigningInner::AwsLc(key) => Some(key),
            #[cfg(any(feature = "ring", feature = "rsa"))]
            _ => None,
        }
    }
}

impl SigningKey {
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
                VerifyingKey::from_der_with(Backend::Ring, key.public_key().as_ref())
            }
            #[cfg(feature = "rsa")]
            SigningInner::Rsa(key) => {
                use rsa::signature::Keypair as _;
                Ok(VerifyingKey {
                    inner: VerifyingInner::Rsa(key.verifying_key()),
                    bits: self.bits,
                })
            }
            #[cfg(feature = "aws-lc-rs")]
            SigningInner::AwsLc(key) => {
                use aws_lc_rs::signature::KeyPair as _;
                VerifyingKey::from_der_with(Backend::AwsLc, key.public_key().as_ref())
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
            SigningInner::Ring(_) => self.sign(message),
            #[cfg(feature = "aws-lc-rs")]
            SigningInner::AwsLc(_) => self.sign(message),
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
            #[cfg(feature = "aws-lc-rs")]
            SigningInner::AwsLc(key) => {
                let rng = aws_lc_rs::rand::SystemRandom::new();
                let mut out = alloc::vec![0u8; key.public_modulus_len()];
                key.sign(
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                    &rng,
                    message,
                    &mut out,
                )
                .map_err(|_| Error::Signing)?;
                Ok(Signature::from_bytes(out))
            }
        }
    }
}

#[derive(Clone)]
enum VerifyingInner {
    /// PKCS#1 `RSAPublicKey` DER, what ring's `UnparsedPublicKey` takes.
    #[cfg(feature = "ring")]
    Ring(Vec<u8>),
    #[cfg(feature = "rsa")]
    Rsa(rsa::pkcs1v15::VerifyingKey<sha2::Sha256>),
    /// PKCS#1 `RSAPublicKey` DER, what aws-lc-rs's `UnparsedPublicKey` takes.
    #[cfg(feature = "aws-lc-rs")]
    AwsLc(Vec<u8>),
}

/// An RSA public key of 2048 to 8192 bits ([`MAX_KEY_BITS`]) that verifies RSASSA-PKCS1-v1_5 SHA-256 signatures.
#[derive(Clone)]
pub struct VerifyingKey {
    inner: VerifyingInner,
    bits: usize,
}

key_common!(
    VerifyingKey,
    VerifyingInner,
    Kind::Public,
    "public",
    "SPKI or PKCS#1",
    "SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`)",
    "[`Error::MalformedKey`], [`Error::UnsupportedKeyType`], [`Error::KeySize`]."
);

impl VerifyingInner {
    fn new(backend: Backend, der: &[u8], _bits: usize) -> Result<Self> {
        Ok(match backend {
            #[cfg(feature = "ring")]
            Backend::Ring => Self::Ring(der.to_vec()),
            #[cfg(feature = "rsa")]
            Backend::Rsa => {
                // `from_pkcs1_der` stops at 4096 bits; the size was checked already.
                let parsed = pkcs1::RsaPublicKey::try_from(der)
                    .map_err(|_| malformed("der: not a PKCS#1 RSAPublicKey"))?;
                let public = rsa::RsaPublicKey::new_with_max_size(
                    rsa::BigUint::from_bytes_be(parsed.modulus.as_bytes()),
                    rsa::BigUint::from_bytes_be(parsed.public_exponent.as_bytes()),
                    MAX_KEY_BITS,
                )
                .map_err(|_| malformed("the rsa crate rejected the RSA public key"))?;
                Self::Rsa(rsa::pkcs1v15::VerifyingKey::new(public))
            }
            #[cfg(feature = "aws-lc-rs")]
            Backend::AwsLc => {
                aws_lc_rs::rsa::PublicKey::from_der(der)
                    .map_err(|_| malformed("aws-lc-rs rejected the RSA public key"))?;
                Self::AwsLc(der.to_vec())
            }
        })
    }
}

impl VerifyingKey {
    /// Public keys load on [`Backend::DEFAULT`] whatever their size.
    const fn default_backend(_bits: usize) -> Backend {
        Backend::DEFAULT
    }

    /// The PKCS#1 `RSAPublicKey` DER of this key (public data), for crates of this
    /// workspace that use the same key for other RSA operations.
    pub fn to_pkcs1_der(&self) -> Vec<u8> {
        match &self.inner {
            #[cfg(feature = "ring")]
            VerifyingInner::Ring(der) => der.clone(),
            #[cfg(feature = "aws-lc-rs")]
            VerifyingInner::AwsLc(der) => der.clone(),
            #[cfg(feature = "rsa")]
            VerifyingInner::Rsa(key) => {
                use rsa::pkcs1::EncodeRsaPublicKey as _;
                key.as_ref()
                    .to_pkcs1_der()
                    .map(|doc| doc.as_bytes().to_vec())
                    .unwrap_or_default()
            }
        }
    }
}

impl VerifyingKey {
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
            #[cfg(feature = "aws-lc-rs")]
            VerifyingInner::AwsLc(der) => aws_lc_rs::signature::UnparsedPublicKey::new(
                &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
                der,
            )
            .verify(message, signature.as_bytes())
            .map_err(|_| Error::Verification),
        }
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
            Pkcs1::from_der(Kind::Private, b"\x30\x03\x02\x01\x00"),
            Err(Error::MalformedKey { .. })
        ));
        assert!(matches!(
            Pkcs1::from_der(Kind::Public, b"nonsense"),
            Err(Error::MalformedKey { .. })
        ));
        assert!(matches!(
            Pkcs1::from_pem(
                Kind::Private,
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
            ),
            Err(Error::UnsupportedKeyType { .. })
        ));
        assert!(matches!(
            Pkcs1::from_pem(Kind::Private, "hello"),
            Err(Error::MalformedKey { .. })
        ));
    }
}
