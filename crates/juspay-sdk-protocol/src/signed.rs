//! [`Signed`]: a JSON string, its RSA-SHA256 signature and the merchant key id, inseparable.

use alloc::string::String;
use core::fmt;
use core::marker::PhantomData;

use juspay_signing::{SignedPayload, Signer};
use serde::de::DeserializeOwned;
use serde::ser::SerializeMap;

use crate::error::{Error, Result};

/// A type whose compact JSON text is signed and carried as a string member of an SDK request
/// (`orderDetails`, `signaturePayload`).
pub trait SignedContent: serde::Serialize + DeserializeOwned {
    /// The request member that carries the JSON text: `"orderDetails"` or `"signaturePayload"`.
    const WIRE_KEY: &'static str;

    /// Checks the content before [`Signed::sign`] signs it (nothing by default).
    ///
    /// # Errors
    ///
    /// The rule the content breaks ([`OrderDetails`](crate::OrderDetails): the server API's).
    fn check(&self) -> Result<()> {
        Ok(())
    }
}

/// The exact JSON text of a `T`, the signature over those bytes and the id of the key that
/// made it: the three members `T::WIRE_KEY`, `signature` and `merchantKeyId` of an SDK request.
///
/// There are no setters: the text and the signature cannot be edited apart (spec
/// `sdk-protocol.md`, "rules the types must make hard to break"). A changed order (a new
/// amount, an applied offer) is a new value made by [`Signed::sign`]. The text is never
/// re-serialized after signing: [`Signed::json`] returns the signed bytes.
pub struct Signed<T> {
    json: String,
    signature: String,
    merchant_key_id: String,
    content: PhantomData<fn() -> T>,
}

impl<T: SignedContent> Signed<T> {
    /// Checks `content` ([`SignedContent::check`]), serializes it to compact JSON and signs
    /// those exact bytes with `signer` (RSASSA-PKCS1-v1_5 SHA-256; the signature is written
    /// in standard base64).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOrder`] for an order that breaks a rule of the server API,
    /// [`Error::Json`] if `content` cannot be serialized, [`Error::Signing`] if the signer fails.
    pub fn sign(
        content: &T,
        signer: &impl Signer,
        merchant_key_id: impl Into<String>,
    ) -> Result<Self> {
        content.check()?;
        let json = serde_json::to_string(content).map_err(|e| Error::json(T::WIRE_KEY, &e))?;
        let signed = SignedPayload::sign(json, signer).map_err(Error::Signing)?;
        Ok(Self::from_signed_payload(signed, merchant_key_id))
    }

    /// Wraps a payload signed elsewhere with [`SignedPayload::sign`].
    ///
    /// The caller vouches that the payload is the JSON text of a `T`; [`Signed::decode`]
    /// checks it.
    pub fn from_signed_payload(signed: SignedPayload, merchant_key_id: impl Into<String>) -> Self {
        let (json, signature) = signed.into_parts();
        Self {
            json,
            signature: signature.to_base64(),
            merchant_key_id: merchant_key_id.into(),
            content: PhantomData,
        }
    }

    /// The three members exactly as received in a request (nothing is checked: use
    /// [`Signed::verify`] with the merchant's public key).
    pub fn from_received(
        json: impl Into<String>,
        signature: impl Into<String>,
        merchant_key_id: impl Into<String>,
    ) -> Self {
        Self {
            json: json.into(),
            signature: signature.into(),
            merchant_key_id: merchant_key_id.into(),
            content: PhantomData,
        }
    }

    /// The signed JSON text, byte for byte.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The signature as it travels (standard base64 when signed here).
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The merchant key id that names the public key registered with Juspay.
    pub fn merchant_key_id(&self) -> &str {
        &self.merchant_key_id
    }

    /// Parses the signed JSON text into a `T`.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] naming the member when the text is not a valid `T`.
    pub fn decode(&self) -> Result<T> {
        serde_json::from_str(&self.json).map_err(|e| Error::json(T::WIRE_KEY, &e))
    }

    /// Checks the signature over the exact JSON bytes with the merchant's public key.
    ///
    /// # Errors
    ///
    /// [`Error::Signing`] with the signing crate's error: malformed signature text, or an
    /// opaque verification failure.
    #[cfg(any(feature = "ring", feature = "rsa"))]
    pub fn verify(&self, key: &juspay_signing::VerifyingKey) -> Result<()> {
        let signature =
            juspay_signing::Signature::parse(&self.signature).map_err(Error::Signing)?;
        key.verify(self.json.as_bytes(), &signature)
            .map_err(Error::Signing)
    }

    /// Writes the three wire members into a map being serialized.
    pub(crate) fn serialize_entries<M: SerializeMap>(
        &self,
        map: &mut M,
    ) -> core::result::Result<(), M::Error> {
        map.serialize_entry(T::WIRE_KEY, &self.json)?;
        map.serialize_entry("signature", &self.signature)?;
        map.serialize_entry("merchantKeyId", &self.merchant_key_id)
    }
}

impl<T> Clone for Signed<T> {
    fn clone(&self) -> Self {
        Self {
            json: self.json.clone(),
            signature: self.signature.clone(),
            merchant_key_id: self.merchant_key_id.clone(),
            content: PhantomData,
        }
    }
}

impl<T> PartialEq for Signed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.json == other.json
            && self.signature == other.signature
            && self.merchant_key_id == other.merchant_key_id
    }
}

impl<T> Eq for Signed<T> {}

impl<T> fmt::Debug for Signed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signed")
            .field("json", &self.json)
            .field("signature", &self.signature)
            .field("merchant_key_id", &self.merchant_key_id)
            .finish()
    }
}

/// The three members of a [`Signed`] while an object is being decoded.
#[derive(Default)]
pub(crate) struct SignedParts {
    json: Option<String>,
    signature: Option<String>,
    merchant_key_id: Option<String>,
}

/// [`Signed`] seen from the decoder (the macro names the field type, not its content type).
pub(crate) trait SignedGroup: Sized {
    const JSON_KEY: &'static str;
    fn from_parts(json: String, signature: String, merchant_key_id: String) -> Self;
}

impl<T: SignedContent> SignedGroup for Signed<T> {
    const JSON_KEY: &'static str = T::WIRE_KEY;

    fn from_parts(json: String, signature: String, merchant_key_id: String) -> Self {
        Self::from_received(json, signature, merchant_key_id)
    }
}

impl SignedParts {
    /// Whether `key` is one of the three members of `G`.
    pub(crate) fn is_key<G: SignedGroup>(key: &str) -> bool {
        key == G::JSON_KEY || key == "signature" || key == "merchantKeyId"
    }

    /// The slot that stores member `key`, if it is one of the three.
    pub(crate) fn slot<G: SignedGroup>(&mut self, key: &str) -> Option<&mut Option<String>> {
        if key == G::JSON_KEY {
            Some(&mut self.json)
        } else if key == "signature" {
            Some(&mut self.signature)
        } else if key == "merchantKeyId" {
            Some(&mut self.merchant_key_id)
        } else {
            None
        }
    }

    /// The assembled value, or the name of the first missing member.
    pub(crate) fn finish<G: SignedGroup, E: serde::de::Error>(self) -> core::result::Result<G, E> {
        let json = self.json.ok_or_else(|| E::missing_field(G::JSON_KEY))?;
        let signature = self
            .signature
            .ok_or_else(|| E::missing_field("signature"))?;
        let key = self
            .merchant_key_id
            .ok_or_else(|| E::missing_field("merchantKeyId"))?;
        Ok(G::from_parts(json, signature, key))
    }
}

#[cfg(feature = "schemars")]
impl<T: SignedContent> schemars::JsonSchema for Signed<T> {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        alloc::format!("Signed_{}", T::WIRE_KEY).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut properties = serde_json::Map::new();
        properties.insert(
            T::WIRE_KEY.into(),
            serde_json::json!({
                "type": "string",
                "description": alloc::format!(
                    "The compact JSON text that was signed (see the {} schema); never re-serialize it.",
                    if T::WIRE_KEY == "orderDetails" { "OrderDetails" } else { "SignaturePayload" }
                ),
            }),
        );
        properties.insert(
            "signature".into(),
            serde_json::json!({
                "type": "string",
                "description": "RSASSA-PKCS1-v1_5 SHA-256 signature of the JSON text, standard base64.",
            }),
        );
        properties.insert(
            "merchantKeyId".into(),
            serde_json::json!({
                "type": "string",
                "description": "Id of the merchant public key registered with Juspay.",
            }),
        );
        let mut schema = serde_json::Map::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), properties.into());
        schema.insert(
            "required".into(),
            serde_json::json!([T::WIRE_KEY, "signature", "merchantKeyId"]),
        );
        schemars::Schema::from(schema)
    }
}
