//! `juspay jose seal` and `juspay jose open`: the envelope of the encrypted API mode (a JWS
//! inside a JWE, `docs/spec/signing.md`), to debug key-pair integrations by hand.
//!
//! Keys come from files. `--explain` prints each step to stderr: key sizes, key ids, headers,
//! part sizes and which check failed; never key material.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use juspay_jose::{JWS_ALG, Party, PrivateKey, PublicKey};

use crate::Outcome;
use crate::sign::{load_key, read_input, read_payload};

/// Arguments of `juspay jose`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Sign a payload (JWS, RS256) and encrypt it to the recipient (JWE, RSA-OAEP-256 +
    /// A256GCM): prints the JSON envelope.
    Seal(SealArgs),
    /// Decrypt and verify an envelope: prints the verified payload, exactly as signed.
    Open(OpenArgs),
}

#[derive(Debug, clap::Args)]
struct SealArgs {
    /// Your private key, which signs: PEM (PKCS#1 or PKCS#8) or DER, at least 2048 bits.
    #[arg(long, value_name = "FILE")]
    private_key: PathBuf,
    /// Your key id (`KEY_UUID` of the key-pair credentials): the `kid` of the JWS.
    #[arg(long, value_name = "KID")]
    key_id: String,
    /// The recipient's public key, which encrypts: PEM (SPKI or PKCS#1) or DER.
    #[arg(long, value_name = "FILE")]
    recipient_key: PathBuf,
    /// The recipient's key id, the `kid` of the JWE [default: --key-id, as Juspay names one
    /// key id per key pair].
    #[arg(long, value_name = "KID")]
    recipient_key_id: Option<String>,
    /// The payload whose exact bytes are sealed; `-` or absent: standard input.
    #[arg(long, value_name = "FILE|-")]
    payload: Option<PathBuf>,
    /// Print each step to stderr (key sizes, key ids, headers; never key material).
    #[arg(long)]
    explain: bool,
}

#[derive(Debug, clap::Args)]
struct OpenArgs {
    /// Your private key, which decrypts: PEM (PKCS#1 or PKCS#8) or DER.
    #[arg(long, value_name = "FILE")]
    private_key: PathBuf,
    /// Your key id, required as the `kid` of the JWE [default: the envelope's own `kid`,
    /// then not checked].
    #[arg(long, value_name = "KID")]
    key_id: Option<String>,
    /// The sender's public key, which verifies the signature: PEM (SPKI or PKCS#1) or DER.
    #[arg(long, value_name = "FILE")]
    sender_key: PathBuf,
    /// The sender's key id, required as the `kid` of the JWS [default: the key id, as Juspay
    /// names one key id per key pair].
    #[arg(long, value_name = "KID")]
    sender_key_id: Option<String>,
    /// The JSON envelope; `-` or absent: standard input.
    #[arg(long, value_name = "FILE|-")]
    envelope: Option<PathBuf>,
    /// Print each step to stderr (headers, sizes, which check failed; never key material).
    #[arg(long)]
    explain: bool,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Outcome> {
    match &args.command {
        Command::Seal(args) => seal(args),
        Command::Open(args) => open(args),
    }
}

fn private_key(path: &Path) -> anyhow::Result<PrivateKey> {
    load_key(
        path,
        "private key",
        PrivateKey::from_pem,
        PrivateKey::from_der,
    )
}

fn public_key(path: &Path, what: &str) -> anyhow::Result<PublicKey> {
    load_key(path, what, PublicKey::from_pem, PublicKey::from_der)
}

/// A key id given on the command line: not empty.
fn key_id(value: &str, flag: &str) -> anyhow::Result<String> {
    if value.trim().is_empty() {
        bail!("{flag} is empty");
    }
    Ok(value.to_owned())
}

fn seal(args: &SealArgs) -> anyhow::Result<Outcome> {
    let own = private_key(&args.private_key)?;
    let recipient = public_key(&args.recipient_key, "recipient key")?;
    let own_key_id = key_id(&args.key_id, "--key-id")?;
    let recipient_key_id = match &args.recipient_key_id {
        Some(id) => key_id(id, "--recipient-key-id")?,
        None => own_key_id.clone(),
    };
    let payload = read_payload(args.payload.as_deref(), "seal")?;
    if args.explain {
        note!("private key: RSA, {} bits (signs the JWS)", own.bits());
        note!(
            "recipient key: RSA, {} bits (encrypts the JWE)",
            recipient.bits()
        );
        let jws_header = serde_json::json!({ "alg": JWS_ALG, "kid": own_key_id });
        note!("jws header: {jws_header}");
        note!("payload: {} bytes", payload.len());
    }
    let party = Party::new(own, own_key_id, recipient, recipient_key_id);
    let envelope = party.seal(&payload).context("sealing failed")?;
    if args.explain {
        let header = juspay_jose::envelope_header(envelope.as_bytes()).unwrap_or_default();
        note!("jwe header: {}", serde_json::Value::Object(header));
        note!(
            "envelope: {} bytes of JSON (header, encryptedKey, iv, encryptedPayload, tag)",
            envelope.len()
        );
    }
    say!("{envelope}")?;
    Ok(Outcome::Success)
}

fn open(args: &OpenArgs) -> anyhow::Result<Outcome> {
    let own = private_key(&args.private_key)?;
    let sender = public_key(&args.sender_key, "sender key")?;
    let envelope = read_input(args.envelope.as_deref())?;
    let (own_key_id, checked) = match &args.key_id {
        Some(id) => (key_id(id, "--key-id")?, "given"),
        None => {
            let header = juspay_jose::envelope_header(&envelope).unwrap_or_default();
            let kid = header.get("kid").and_then(serde_json::Value::as_str);
            (
                kid.unwrap_or_default().to_owned(),
                "the envelope's own, not checked",
            )
        }
    };
    let sender_key_id = match &args.sender_key_id {
        Some(id) => key_id(id, "--sender-key-id")?,
        None => own_key_id.clone(),
    };
    if args.explain {
        note!("private key: RSA, {} bits (decrypts the JWE)", own.bits());
        note!("sender key: RSA, {} bits (verifies the JWS)", sender.bits());
        note!("key id required in the jwe header: {own_key_id:?} ({checked})");
        note!("key id required in the jws header: {sender_key_id:?}");
    }
    let party = Party::new(own, own_key_id, sender, sender_key_id);
    let explanation = party.explain_open(&envelope);
    if args.explain {
        note!("{}", explanation.to_string().trim_end());
    }
    if let Some(payload) = explanation.payload() {
        crate::output::bytes(payload)?;
        return Ok(Outcome::Success);
    }
    // Not an envelope at all: malformed input, exit 2.
    if explanation.malformed() {
        let detail = explanation
            .failed_step()
            .map_or("", |step| step.detail.as_str());
        bail!("the envelope is malformed: {detail}");
    }
    note!("refused: the envelope does not open (--explain says which check failed)");
    Ok(Outcome::VerificationFailed)
}
