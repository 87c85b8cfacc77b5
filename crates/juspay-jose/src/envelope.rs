//! The envelope: JWS (RS256) in JSON form, encrypted as JWE (RSA-OAEP-256 + A256GCM) in JSON
//! form. See the crate documentation for the format and its sources.

use core::fmt;
use std::borrow::Cow;

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use juspay_signing::{Signature, Signer as _};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{OpenError, SealError};
use crate::explain::{Explanation, NoTrace, Trace};
use crate::keys::{PrivateKey, PublicKey};

/// `alg` of the JWS protected header.
pub const JWS_ALG: &str = "RS256";
/// `alg` of the JWE protected header (key management).
pub const JWE_ALG: &str = "RSA-OAEP-256";
/// `enc` of the JWE protected header (content encryption).
pub const JWE_ENC: &str = "A256GCM";

/// The name of the first step of [`Party::explain_open`]: the envelope is JSON of the five parts.
pub(crate) const ENVELOPE_STEP: &str = "envelope";

/// Bytes of the AES-256 content-encryption key.
const CEK_LEN: usize = 32;
/// Bytes of the AES-GCM initialization vector.
const IV_LEN: usize = 12;
/// Bytes of the AES-GCM authentication tag.
const TAG_LEN: usize = 16;

/// The JWE in JSON form: the five compact parts under these names (base64url, no padding).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct JweParts<'a> {
    #[serde(borrow)]
    header: Cow<'a, str>,
    #[serde(borrow)]
    encrypted_key: Cow<'a, str>,
    #[serde(borrow)]
    iv: Cow<'a, str>,
    #[serde(borrow)]
    encrypted_payload: Cow<'a, str>,
    #[serde(borrow)]
    tag: Cow<'a, str>,
}

/// The JWS in JSON form: the three compact parts under these names. Owned, because the
/// JSON comes from a decrypted buffer.
#[derive(Serialize, Deserialize)]
struct JwsParts {
    header: String,
    payload: String,
    signature: String,
}

/// A protected header as it is written: `alg`, then `enc` (JWE only), then `kid`, the
/// order of the official PHP SDK.
#[derive(Serialize)]
struct HeaderOut<'a> {
    alg: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    enc: Option<&'a str>,
    kid: &'a str,
}

/// One side of the encrypted conversation: one's own private key and key id, the other
/// side's public key and key id.
///
/// The same type serves the merchant (own = merchant key, peer = gateway key) and a gateway
/// such as the sandbox (the roles swapped). What goes where:
///
/// | header | `kid` written by [`Party::seal`] | `kid` required by [`Party::open`] |
/// |---|---|---|
/// | JWS (`RS256`, inside) | `own_key_id` (the signing key) | `peer_key_id` |
/// | JWE (`RSA-OAEP-256`/`A256GCM`, outside) | `peer_key_id` (the recipient's key) | `own_key_id` |
///
/// **Juspay key-pair credentials name one key id** (`KEY_UUID` in the HDFC kits'
/// `config.json`, the key id of the dashboard) and the official PHP SDK writes it in both
/// headers: a merchant passes that id as both `own_key_id` and `peer_key_id`
/// (or uses [`Party::with_key_id`]). See `docs/spec/signing.md`.
pub struct Party {
    own: PrivateKey,
    own_key_id: String,
    peer: PublicKey,
    peer_key_id: String,
}

impl Party {
    /// One side of the conversation.
    pub fn new(
        own: PrivateKey,
        own_key_id: impl Into<String>,
        peer: PublicKey,
        peer_key_id: impl Into<String>,
    ) -> Self {
        Self {
            own,
            own_key_id: own_key_id.into(),
            peer,
            peer_key_id: peer_key_id.into(),
        }
    }

    /// The usual Juspay set-up: one key id (`KEY_UUID`) for both headers in both
    /// directions.
    pub fn with_key_id(own: PrivateKey, peer: PublicKey, key_id: impl Into<String>) -> Self {
        let key_id = key_id.into();
        Self::new(own, key_id.clone(), peer, key_id)
    }

    /// One's own key id (the `kid` of the JWS this side signs).
    pub fn own_key_id(&self) -> &str {
        &self.own_key_id
    }

    /// The other side's key id (the `kid` of the JWE this side encrypts).
    pub fn peer_key_id(&self) -> &str {
        &self.peer_key_id
    }

    /// The other side's public key.
    pub const fn peer_key(&self) -> &PublicKey {
        &self.peer
    }

    /// Signs `payload` (JWS RS256) and encrypts the result to the peer (JWE RSA-OAEP-256 +
    /// A256GCM): the JSON envelope text `{"header","encryptedKey","iv","encryptedPayload","tag"}`.
    ///
    /// # Errors
    ///
    /// [`SealError`] when the crypto library fails (random source, RSA, AES-GCM).
    pub fn seal(&self, payload: &[u8]) -> Result<String, SealError> {
        // JWS, compact parts.
        let jws_header = b64_json(&HeaderOut {
            alg: JWS_ALG,
            enc: None,
            kid: &self.own_key_id,
        })?;
        let jws_payload = URL_SAFE_NO_PAD.encode(payload);
        let signing_input = format!("{jws_header}.{jws_payload}");
        let signature = self
            .own
            .signing()
            .sign(signing_input.as_bytes())
            .map_err(|_| SealError)?;
        let jws = Zeroizing::new(
            serde_json::to_vec(&JwsParts {
                header: jws_header,
                payload: jws_payload,
                signature: URL_SAFE_NO_PAD.encode(signature.as_bytes()),
            })
            .map_err(|_| SealError)?,
        );

        // JWE around it.
        let jwe_header = b64_json(&HeaderOut {
            alg: JWE_ALG,
            enc: Some(JWE_ENC),
            kid: &self.peer_key_id,
        })?;
        let mut cek = Zeroizing::new([0u8; CEK_LEN]);
        let mut iv = [0u8; IV_LEN];
        aws_lc_rs::rand::fill(cek.as_mut()).map_err(|_| SealError)?;
        aws_lc_rs::rand::fill(&mut iv).map_err(|_| SealError)?;
        let key = gcm_key(cek.as_ref()).ok_or(SealError)?;
        let mut in_out = jws.to_vec();
        let tag = key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(iv),
                Aad::from(jwe_header.as_bytes()),
                &mut in_out,
            )
            .map_err(|_| SealError)?;
        let encrypted_key = self.peer.encrypt_oaep(cek.as_ref()).ok_or(SealError)?;
        serde_json::to_string(&JweParts {
            header: Cow::Borrowed(&jwe_header),
            encrypted_key: Cow::Owned(URL_SAFE_NO_PAD.encode(encrypted_key)),
            iv: Cow::Owned(URL_SAFE_NO_PAD.encode(iv)),
            encrypted_payload: Cow::Owned(URL_SAFE_NO_PAD.encode(&in_out)),
            tag: Cow::Owned(URL_SAFE_NO_PAD.encode(tag.as_ref())),
        })
        .map_err(|_| SealError)
    }

    /// Decrypts and verifies an envelope made by the peer: the signed payload.
    ///
    /// Checks, in order: the JSON shape; the JWE header's `alg`, `enc` and `kid` (and no
    /// `zip` or `crit`) before the private key is used; the sizes of the parts; RSA-OAEP
    /// (constant-time in aws-lc; a bad padding continues with a random key, RFC 7516
    /// §11.5); AES-GCM with the header text as additional data; the JWS JSON and header
    /// (`alg`, `kid`); the RS256 signature with the peer's key.
    ///
    /// # Errors
    ///
    /// [`OpenError`], one opaque error for every failure.
    pub fn open(&self, envelope: &[u8]) -> Result<Vec<u8>, OpenError> {
        self.open_traced(envelope, &mut NoTrace).ok_or(OpenError)
    }

    /// [`Party::open`] with a record of every step and which check failed, for a human
    /// debugging an integration (`juspay jose open --explain`). Never contains key material
    /// or the content-encryption key. Do not send it to the party that made the envelope:
    /// it is exactly the oracle [`Party::open`] refuses to be.
    pub fn explain_open(&self, envelope: &[u8]) -> Explanation {
        let mut steps = Vec::new();
        let payload = self.open_traced(envelope, &mut steps);
        Explanation::new(steps, payload)
    }

    fn open_traced(&self, envelope: &[u8], trace: &mut impl Trace) -> Option<Vec<u8>> {
        let parts: JweParts<'_> = step(
            trace,
            ENVELOPE_STEP,
            serde_json::from_slice(envelope).map_err(|e| {
                format!(
                    "not a JSON object with string members header, encryptedKey, iv, encryptedPayload, tag: {e}"
                )
            }),
            |_| "JSON with the five JWE parts".to_owned(),
        )?;

        // The JWE header, checked before the private key is used.
        let header = step(trace, "jwe header", decode_header(&parts.header), |h| {
            serde_json::Value::Object(h.clone()).to_string()
        })?;
        check_header(
            trace,
            JWE_CHECKS,
            &header,
            JWE_ALG,
            Some(JWE_ENC),
            &self.own_key_id,
        )?;

        let modulus = self.own.modulus_bytes();
        let encrypted_key = step(
            trace,
            "encryptedKey",
            decode_len(&parts.encrypted_key, Some(modulus)),
            |k| format!("{} bytes (the key's modulus size)", k.len()),
        )?;
        let iv = step(trace, "iv", decode_len(&parts.iv, Some(IV_LEN)), |_| {
            format!("{IV_LEN} bytes")
        })?;
        let tag = step(trace, "tag", decode_len(&parts.tag, Some(TAG_LEN)), |_| {
            format!("{TAG_LEN} bytes")
        })?;
        let mut in_out = step(
            trace,
            "encryptedPayload",
            decode_len(&parts.encrypted_payload, None),
            |c| format!("{} bytes", c.len()),
        )?;

        // RSA-OAEP, without an early exit: a bad padding decrypts with a random key and
        // fails at the tag, like a bad tag does.
        let mut unwrapped = Zeroizing::new(vec![0u8; modulus]);
        let unwrapped_len = self.own.decrypt_oaep(&encrypted_key, &mut unwrapped);
        let key_ok = unwrapped_len == Some(CEK_LEN);
        let mut cek = Zeroizing::new([0u8; CEK_LEN]);
        if key_ok {
            cek.copy_from_slice(unwrapped.get(..CEK_LEN)?);
        } else {
            aws_lc_rs::rand::fill(cek.as_mut()).ok()?;
        }
        trace.step("key unwrap (RSA-OAEP-256)", key_ok, || {
            if key_ok {
                "a 32-byte AES key".to_owned()
            } else {
                "RSA-OAEP decryption failed: encrypted to another key, or tampered".to_owned()
            }
        });

        in_out.extend_from_slice(&tag);
        let nonce = Nonce::try_assume_unique_for_key(&iv).ok()?;
        let opened = gcm_key(cek.as_ref()).and_then(|key| {
            key.open_in_place(nonce, Aad::from(parts.header.as_bytes()), &mut in_out)
                .ok()
                .map(|plain| plain.len())
        });
        let plain_len = step(
            trace,
            "decrypt (A256GCM)",
            opened.filter(|_| key_ok).ok_or_else(|| {
                "authentication tag does not match: header, iv, ciphertext or tag changed, or wrong key"
                    .to_owned()
            }),
            |len| format!("{len} bytes of JWS JSON"),
        )?;
        let plain = Zeroizing::new(in_out);
        let jws: JwsParts = step(
            trace,
            "jws",
            // The position only: serde's message could quote decrypted text.
            serde_json::from_slice(plain.get(..plain_len)?).map_err(|e: serde_json::Error| {
                format!(
                    "not a JSON object with string members header, payload, signature (at line {} column {})",
                    e.line(),
                    e.column()
                )
            }),
            |_| "JSON with the three JWS parts".to_owned(),
        )?;
        let jws_header = step(trace, "jws header", decode_header(&jws.header), |h| {
            serde_json::Value::Object(h.clone()).to_string()
        })?;
        check_header(
            trace,
            JWS_CHECKS,
            &jws_header,
            JWS_ALG,
            None,
            &self.peer_key_id,
        )?;
        let signature = step(trace, "signature", decode_len(&jws.signature, None), |s| {
            format!("{} bytes", s.len())
        })?;
        let signing_input = format!("{}.{}", jws.header, jws.payload);
        step(
            trace,
            "verify (RS256)",
            self.peer
                .verifying()
                .verify(signing_input.as_bytes(), &Signature::from_bytes(signature))
                .map_err(|_| "signature does not verify with the peer's public key".to_owned()),
            |()| "signature verifies with the peer's public key".to_owned(),
        )?;
        step(trace, "payload", decode_len(&jws.payload, None), |p| {
            format!("{} bytes", p.len())
        })
    }
}

impl fmt::Debug for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Party")
            .field("own", &self.own)
            .field("own_key_id", &self.own_key_id)
            .field("peer", &self.peer)
            .field("peer_key_id", &self.peer_key_id)
            .finish()
    }
}

/// The JWE protected header of an envelope, decoded but **not authenticated** (anyone can
/// write anything there): for tools that show it or take a default key id from its `kid`
/// (`juspay jose open` without `--key-id`). `None` when the envelope is not the JSON of the
/// five parts or its header is not base64url of a JSON object.
pub fn envelope_header(envelope: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    let parts: JweParts<'_> = serde_json::from_slice(envelope).ok()?;
    decode_header(&parts.header).ok()
}

/// Records `result` as a step and turns it into an `Option`.
fn step<T>(
    trace: &mut impl Trace,
    name: &'static str,
    result: Result<T, String>,
    ok_detail: impl FnOnce(&T) -> String,
) -> Option<T> {
    match result {
        Ok(value) => {
            trace.step(name, true, || ok_detail(&value));
            Some(value)
        }
        Err(detail) => {
            trace.step(name, false, || detail);
            None
        }
    }
}

/// base64url (no padding) of the JSON of `value`.
fn b64_json(value: &impl Serialize) -> Result<String, SealError> {
    serde_json::to_vec(value)
        .map(|json| URL_SAFE_NO_PAD.encode(json))
        .map_err(|_| SealError)
}

/// Strict base64url without padding (canonical: unused bits must be zero), of an expected
/// length when given.
fn decode_len(text: &str, len: Option<usize>) -> Result<Vec<u8>, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|e| format!("not base64url without padding: {e}"))?;
    match len {
        Some(expected) if bytes.len() != expected => {
            Err(format!("{} bytes, expected {expected}", bytes.len()))
        }
        _ => Ok(bytes),
    }
}

/// A protected header: base64url of a JSON object.
fn decode_header(text: &str) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let json = decode_len(text, None)?;
    serde_json::from_slice(&json).map_err(|e| format!("not a JSON object: {e}"))
}

/// The names of the header checks, as [`Party::explain_open`] reports them.
const JWE_CHECKS: [&str; 5] = ["jwe alg", "jwe enc", "jwe kid", "jwe zip", "jwe crit"];
/// The names of the JWS header checks.
const JWS_CHECKS: [&str; 5] = ["jws alg", "jws enc", "jws kid", "jws zip", "jws crit"];

/// Checks `alg`, `enc` (the expected value, or absent), `kid`, and that `zip` and `crit` are
/// absent, recording each check under its name in `names`.
fn check_header(
    trace: &mut impl Trace,
    names: [&'static str; 5],
    header: &serde_json::Map<String, serde_json::Value>,
    alg: &str,
    enc: Option<&str>,
    kid: &str,
) -> Option<()> {
    let expect = |member: &str, want: Option<&str>| -> Result<(), String> {
        let found = header.get(member);
        if found.and_then(serde_json::Value::as_str) == want {
            return Ok(());
        }
        let found = found.map_or_else(|| "absent".to_owned(), ToString::to_string);
        Err(match want {
            Some(want) => format!("{member} is {found}, expected {want:?}"),
            None => format!("{member} is {found}, expected none"),
        })
    };
    let wanted = [Some(alg), enc, Some(kid), None, None];
    for ((name, member), want) in names
        .into_iter()
        .zip(["alg", "enc", "kid", "zip", "crit"])
        .zip(wanted)
    {
        step(trace, name, expect(member, want), |()| {
            "as expected".to_owned()
        })?;
    }
    Some(())
}

fn gcm_key(cek: &[u8]) -> Option<LessSafeKey> {
    UnboundKey::new(&AES_256_GCM, cek)
        .ok()
        .map(LessSafeKey::new)
}
