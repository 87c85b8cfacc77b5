//! RSA keys of the envelope: [`PrivateKey`] (sign and decrypt) and [`PublicKey`] (verify and
//! encrypt), loaded by `juspay-signing` (the one home of PEM/DER parsing and key checks) on
//! its aws-lc-rs backend.

use core::fmt;

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rsa::{
    KeyPair, KeySize, OaepPrivateDecryptingKey, OaepPublicEncryptingKey, PrivateDecryptingKey,
    PublicEncryptingKey,
};
use juspay_signing::{Backend, SigningKey, VerifyingKey};
use secrecy::SecretString;

use crate::error::KeyError;

/// Smallest accepted modulus, in bits.
pub const MIN_KEY_BITS: usize = juspay_signing::MIN_KEY_BITS;
/// Largest accepted modulus, in bits.
pub const MAX_KEY_BITS: usize = juspay_signing::MAX_KEY_BITS;

/// One's own RSA private key: signs the JWS and decrypts the JWE key of envelopes sent to us.
///
/// 2048 to 8192 bits. `Debug` shows only the modulus size; the key is never printed or
/// serialized (export it on purpose with [`PrivateKey::to_pkcs8_pem`]).
pub struct PrivateKey {
    signing: SigningKey,
    decrypting: PrivateDecryptingKey,
    public: PublicKey,
}

impl PrivateKey {
    /// Loads a PEM private key: PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`).
    ///
    /// # Errors
    ///
    /// [`KeyError::Invalid`] for a malformed, encrypted, non-RSA or wrong-size key (under
    /// 2048 bits or over 8192), with the reason.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        Self::from_signing(SigningKey::from_pem_with(Backend::AwsLc, pem)?)
    }

    /// Loads a DER private key (PKCS#1 or PKCS#8, detected).
    ///
    /// # Errors
    ///
    /// As [`PrivateKey::from_pem`].
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        Self::from_signing(SigningKey::from_der_with(Backend::AwsLc, der)?)
    }

    /// A fresh RSA-2048 key (exponent 65537), for the sandbox and tests.
    ///
    /// # Errors
    ///
    /// [`KeyError::Crypto`] when the random source or key generation fails.
    pub fn generate() -> Result<Self, KeyError> {
        let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| KeyError::Crypto)?;
        let pkcs8 = pair.as_der().map_err(|_| KeyError::Crypto)?;
        Self::from_der(pkcs8.as_ref())
    }

    fn from_signing(signing: SigningKey) -> Result<Self, KeyError> {
        let pair = signing.aws_lc_key_pair().ok_or(KeyError::Crypto)?;
        let pkcs8 = pair.as_der().map_err(|_| KeyError::Crypto)?;
        let decrypting = PrivateDecryptingKey::from_pkcs8(pkcs8.as_ref())
            .map_err(|_| KeyError::Rejected("aws-lc-rs refused the key for RSA-OAEP"))?;
        let public = PublicKey::from_verifying(signing.verifying_key()?)?;
        Ok(Self {
            signing,
            decrypting,
            public,
        })
    }

    /// The key as PKCS#8 PEM (`BEGIN PRIVATE KEY`), a secret: for writing a generated key to
    /// a file.
    ///
    /// # Errors
    ///
    /// [`KeyError::Crypto`] if the backend cannot encode the key.
    pub fn to_pkcs8_pem(&self) -> Result<SecretString, KeyError> {
        let pair = self.signing.aws_lc_key_pair().ok_or(KeyError::Crypto)?;
        let pkcs8 = pair.as_der().map_err(|_| KeyError::Crypto)?;
        let pem =
            pem_rfc7468::encode_string("PRIVATE KEY", pem_rfc7468::LineEnding::LF, pkcs8.as_ref())
                .map_err(|_| KeyError::Crypto)?;
        Ok(SecretString::from(pem))
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// Bit length of the modulus.
    pub fn bits(&self) -> usize {
        self.signing.bits()
    }

    pub(crate) const fn signing(&self) -> &SigningKey {
        &self.signing
    }

    /// Decrypts an RSA-OAEP (SHA-256, MGF1-SHA-256) ciphertext into `out`, returning the
    /// plaintext length. Constant-time in aws-lc.
    pub(crate) fn decrypt_oaep(&self, ciphertext: &[u8], out: &mut [u8]) -> Option<usize> {
        let key = OaepPrivateDecryptingKey::new(self.decrypting.clone()).ok()?;
        key.decrypt(
            &aws_lc_rs::rsa::OAEP_SHA256_MGF1SHA256,
            ciphertext,
            out,
            None,
        )
        .ok()
        .map(|plain| plain.len())
    }

    /// Modulus size in bytes: the length of an RSA-OAEP ciphertext to this key.
    pub(crate) fn modulus_bytes(&self) -> usize {
        self.decrypting.key_size_bytes()
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("bits", &self.bits())
            .finish_non_exhaustive()
    }
}

/// The other side's RSA public key: verifies its JWS and encrypts the JWE key of envelopes
/// sent to it. 2048 to 8192 bits.
#[derive(Clone)]
pub struct PublicKey {
    verifying: VerifyingKey,
    encrypting: PublicEncryptingKey,
    spki: Vec<u8>,
}

impl PublicKey {
    /// Loads a PEM public key: SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`).
    ///
    /// # Errors
    ///
    /// [`KeyError::Invalid`] for a malformed, non-RSA or wrong-size key, with the reason.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        Self::from_verifying(VerifyingKey::from_pem_with(Backend::AwsLc, pem)?)
    }

    /// Loads a DER public key (SPKI or PKCS#1, detected).
    ///
    /// # Errors
    ///
    /// As [`PublicKey::from_pem`].
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        Self::from_verifying(VerifyingKey::from_der_with(Backend::AwsLc, der)?)
    }

    fn from_verifying(verifying: VerifyingKey) -> Result<Self, KeyError> {
        let pkcs1 = verifying.to_pkcs1_der();
        let spki = aws_lc_rs::rsa::PublicKey::from_der(&pkcs1)
            .ok()
            .and_then(|key| key.as_der().ok())
            .ok_or(KeyError::Rejected("aws-lc-rs refused the public key"))?;
        let encrypting = PublicEncryptingKey::from_der(spki.as_ref())
            .map_err(|_| KeyError::Rejected("aws-lc-rs refused the key for RSA-OAEP"))?;
        Ok(Self {
            verifying,
            encrypting,
            spki: spki.as_ref().to_vec(),
        })
    }

    /// The key as SPKI PEM (`BEGIN PUBLIC KEY`), the form the gateway and OpenSSL exchange.
    ///
    /// # Errors
    ///
    /// [`KeyError::Crypto`] if the encoding fails (not in practice).
    pub fn to_spki_pem(&self) -> Result<String, KeyError> {
        pem_rfc7468::encode_string("PUBLIC KEY", pem_rfc7468::LineEnding::LF, &self.spki)
            .map_err(|_| KeyError::Crypto)
    }

    /// Bit length of the modulus.
    pub fn bits(&self) -> usize {
        self.verifying.bits()
    }

    pub(crate) const fn verifying(&self) -> &VerifyingKey {
        &self.verifying
    }

    /// RSA-OAEP (SHA-256, MGF1-SHA-256) encryption of a content-encryption key.
    pub(crate) fn encrypt_oaep(&self, plaintext: &[u8]) -> Option<Vec<u8>> {
        let key = OaepPublicEncryptingKey::new(self.encrypting.clone()).ok()?;
        let mut out = vec![0u8; key.ciphertext_size()];
        let len = key
            .encrypt(
                &aws_lc_rs::rsa::OAEP_SHA256_MGF1SHA256,
                plaintext,
                &mut out,
                None,
            )
            .ok()?
            .len();
        out.truncate(len);
        Some(out)
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.spki == other.spki
    }
}

impl Eq for PublicKey {}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("bits", &self.bits())
            .finish_non_exhaustive()
    }
}
