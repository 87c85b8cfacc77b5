//! `juspay sign`, `juspay verify-signature`, `juspay verify-return` (`docs/spec/cli.md`).
//!
//! Secrets never come from the command line: private keys and response keys are read from
//! files (or, for the response key, an environment variable) into `secrecy` boxes, zeroized
//! on drop.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use juspay_signing::Error::{InvalidParameter, MissingParameter, Verification};
use juspay_signing::return_url::{
    ReturnInput, ReturnUrlVerifier, SIGNATURE, SIGNATURE_ALGORITHM, explain, form_urlencode,
};
use juspay_signing::{Signature, Signer as _, SigningKey, VerifyingKey};
use juspay_types::{ExposeSecret as _, SecretSlice, SecretString};

use crate::Outcome;

/// Output encoding of `juspay sign`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Encoding {
    /// Standard padded base64 (what the SDK payloads carry).
    #[default]
    Base64,
    /// Lower-case hex.
    Hex,
}

/// Arguments of `juspay sign`.
#[derive(Debug, clap::Args)]
pub(crate) struct SignArgs {
    /// RSA private key: PEM (PKCS#1 or PKCS#8) or DER, at least 2048 bits.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The payload whose exact bytes are signed; `-` or absent: standard input.
    #[arg(long, value_name = "FILE|-")]
    payload: Option<PathBuf>,
    /// Output encoding of the signature.
    #[arg(long, value_enum, default_value_t = Encoding::Base64)]
    encoding: Encoding,
}

/// Arguments of `juspay verify-signature`.
#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("signature_source")
        .required(true)
        .args(["signature", "signature_file"])
))]
pub(crate) struct VerifySignatureArgs {
    /// RSA public key: PEM (SPKI `BEGIN PUBLIC KEY` or PKCS#1 `BEGIN RSA PUBLIC KEY`) or DER.
    #[arg(long, value_name = "FILE")]
    public_key: PathBuf,
    /// The signature, base64 or hex.
    #[arg(long, value_name = "SIG")]
    signature: Option<String>,
    /// A file holding the signature, base64 (line-wrapped allowed) or hex.
    #[arg(long, value_name = "FILE")]
    signature_file: Option<PathBuf>,
    /// The payload whose exact bytes were signed; `-` or absent: standard input.
    #[arg(long, value_name = "FILE|-")]
    payload: Option<PathBuf>,
}

/// Arguments of `juspay verify-return`.
#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("response_key_source")
        .required(true)
        .args(["response_key_file", "response_key_env"])
))]
#[command(group(
    clap::ArgGroup::new("parameters")
        .required(true)
        .args(["query", "url", "form"])
))]
pub(crate) struct VerifyReturnArgs {
    /// File holding the merchant's response key (trailing newlines are ignored).
    #[arg(long, value_name = "FILE")]
    response_key_file: Option<PathBuf>,
    /// Environment variable holding the merchant's response key.
    #[arg(long, value_name = "VAR")]
    response_key_env: Option<String>,
    /// The raw query string as it appears in the URL (decoded once, like a web framework).
    #[arg(long, value_name = "STRING")]
    query: Option<String>,
    /// A whole return URL.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// A file holding an `application/x-www-form-urlencoded` POST body.
    #[arg(long, value_name = "FILE")]
    form: Option<PathBuf>,
    /// Print each step (encoded pairs, canonical string, computed MAC) to stderr.
    #[arg(long)]
    explain: bool,
}

/// Reads a whole file, or standard input for `None` and `-`.
pub(crate) fn read_input(path: Option<&Path>) -> anyhow::Result<Vec<u8>> {
    match path {
        Some(p) if p != Path::new("-") => {
            std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))
        }
        _ => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .context("cannot read standard input")?;
            Ok(buf)
        }
    }
}

/// Reads a key file into a secret box.
fn read_key_file(path: &Path, what: &str) -> anyhow::Result<SecretSlice<u8>> {
    std::fs::read(path)
        .map(SecretSlice::from)
        .with_context(|| format!("cannot read {what} file {}", path.display()))
}

/// Loads a key: PEM when the file is text holding a `-----BEGIN ` line (explanatory text
/// before it, as OpenSSL's `Bag Attributes`, is allowed), DER otherwise.
pub(crate) fn load_key<K, E: std::error::Error + Send + Sync + 'static>(
    path: &Path,
    what: &str,
    pem: fn(&str) -> Result<K, E>,
    der: fn(&[u8]) -> Result<K, E>,
) -> anyhow::Result<K> {
    let bytes = read_key_file(path, what)?;
    let bytes = bytes.expose_secret();
    match std::str::from_utf8(bytes)
        .ok()
        .filter(|t| t.contains("-----BEGIN "))
    {
        Some(text) => pem(text),
        None => der(bytes),
    }
    .with_context(|| format!("{what} file {}", path.display()))
}

/// Reads a payload (`read_input`) and refuses an empty one: a pipe that produced nothing is
/// a broken script, not a payload.
pub(crate) fn read_payload(path: Option<&Path>, verb: &str) -> anyhow::Result<Vec<u8>> {
    let payload = read_input(path)?;
    if payload.is_empty() {
        let from = match path {
            Some(p) if p != Path::new("-") => p.display().to_string(),
            _ => "standard input".to_owned(),
        };
        bail!("the payload is empty ({from}): nothing to {verb}");
    }
    Ok(payload)
}

pub(crate) fn sign(args: &SignArgs) -> anyhow::Result<Outcome> {
    let key = load_key(&args.key, "key", SigningKey::from_pem, SigningKey::from_der)?;
    let payload = read_payload(args.payload.as_deref(), "sign")?;
    let signature = key.sign(&payload).context("signing failed")?;
    match args.encoding {
        Encoding::Base64 => say!("{}", signature.to_base64()),
        Encoding::Hex => say!("{}", signature.to_hex()),
    }?;
    Ok(Outcome::Success)
}

pub(crate) fn verify_signature(args: &VerifySignatureArgs) -> anyhow::Result<Outcome> {
    let key = load_key(
        &args.public_key,
        "public key",
        VerifyingKey::from_pem,
        VerifyingKey::from_der,
    )?;
    let signature_text = match (&args.signature, &args.signature_file) {
        (Some(text), None) => text.clone(),
        (None, Some(path)) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read signature file {}", path.display()))?,
        _ => bail!("give exactly one of --signature and --signature-file"),
    };
    let signature = Signature::parse(&signature_text).context("signature")?;
    let payload = read_input(args.payload.as_deref())?;
    report(key.verify(&payload, &signature))
}

/// Prints the verdict of a verification that ran; exit 1 when it failed. A reader that has
/// gone does not change the verdict.
fn report(result: Result<(), juspay_signing::Error>) -> anyhow::Result<Outcome> {
    let (verdict, outcome) = match result {
        Ok(()) => ("valid", Outcome::Success),
        Err(_) => ("invalid", Outcome::VerificationFailed),
    };
    crate::output::verdict(say!("{verdict}"), outcome)
}

fn response_key(args: &VerifyReturnArgs) -> anyhow::Result<SecretString> {
    let key = match (&args.response_key_file, &args.response_key_env) {
        (Some(path), None) => {
            let bytes = read_key_file(path, "key")?;
            std::str::from_utf8(bytes.expose_secret())
                .map(SecretString::from)
                .with_context(|| format!("key file {} is not UTF-8", path.display()))?
        }
        (None, Some(var)) => std::env::var(var)
            .map(SecretString::from)
            .with_context(|| format!("environment variable {var} is not set or not UTF-8"))?,
        _ => bail!("give exactly one of --response-key-file and --response-key-env"),
    };
    // A key file written by `echo` ends in a newline that is not part of the key.
    let trimmed = key.expose_secret().trim_end_matches(['\n', '\r']);
    if trimmed.is_empty() {
        bail!("the response key is empty");
    }
    Ok(SecretString::from(trimmed))
}

/// `--explain`: every step of `docs/spec/signing.md` section 1, on stderr.
fn explain(input: ReturnInput<'_>, key: &SecretString) -> Result<(), juspay_signing::Error> {
    let pairs = explain::parse(input)?;
    note!("step 1: parameters, decoded once (signature and signature_algorithm set aside):");
    let signed = |(k, _): &&(String, String)| k != SIGNATURE && k != SIGNATURE_ALGORITHM;
    for (k, v) in pairs.iter().filter(signed) {
        note!("    {k:?} = {v:?}");
    }
    let signature = explain::value(&pairs, SIGNATURE);
    let algorithm = explain::value(&pairs, SIGNATURE_ALGORITHM).unwrap_or("<absent: HMAC-SHA256>");
    note!(
        "    signature (as received) = {:?}",
        signature.unwrap_or("<missing>")
    );
    note!("    signature_algorithm = {algorithm:?}");
    note!("steps 2-3: each key and value form-urlencoded, sorted by encoded key:");
    for (k, v) in explain::encoded_pairs(&pairs) {
        note!("    {k}={v}");
    }
    let canonical = explain::canonical_string(&pairs)?;
    note!("step 4: canonical string:\n    {canonical}");
    let to_sign = explain::string_to_sign(&pairs)?;
    note!("step 5: string to sign (canonical string form-urlencoded):\n    {to_sign}");
    let expected = explain::expected_signature(&pairs, key)?;
    note!("steps 6-7: computed HMAC-SHA256, base64:\n    {expected}");
    let twice = form_urlencode(&form_urlencode(&expected));
    note!("    as it appears in a URL (encoded twice): {twice}");
    match signature.map(explain::normalize_signature) {
        Some(Ok(bytes)) => {
            let received = Signature::from_bytes(bytes.to_vec()).to_base64();
            note!("received signature, normalised to base64:\n    {received}");
        }
        Some(Err(e)) => note!("received signature cannot be read: {e}"),
        None => note!("no signature received"),
    }
    Ok(())
}

pub(crate) fn verify_return(args: &VerifyReturnArgs) -> anyhow::Result<Outcome> {
    let key = response_key(args)?;
    let body;
    let (input, what) = match (&args.query, &args.url, &args.form) {
        (Some(query), None, None) => (ReturnInput::Query(query), "--query".to_owned()),
        (None, Some(url), None) => (ReturnInput::Url(url), "--url".to_owned()),
        (None, None, Some(path)) => {
            body = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read form body {}", path.display()))?;
            (
                ReturnInput::Form(&body),
                format!("--form {}", path.display()),
            )
        }
        _ => bail!("give exactly one of --query, --url and --form"),
    };
    if args.explain {
        // Malformed input is reported below, by the verifier, as without --explain.
        let _ = explain(input, &key);
    }
    let result = ReturnUrlVerifier::new(&key).verify(input).map(|_| ());
    let result = match result {
        // The MAC matched; the redirect only lacks what a genuine one carries (an order id,
        // a status). The signature is what this command verifies: valid.
        Err(MissingParameter { .. } | InvalidParameter { .. }) => Ok(()),
        other => other,
    };
    if args.explain {
        match &result {
            Ok(()) => note!("result: the MACs match (constant-time comparison)"),
            Err(Verification) => note!("result: the MACs differ"),
            Err(e) => note!("result: refused before comparing: {e}"),
        }
    }
    match result {
        // The MAC was computed and compared (in constant time): a verdict, exit 0 or 1.
        Ok(()) | Err(Verification) => report(result),
        // Refused before any MAC comparison: malformed input, exit 2.
        Err(e) => Err(e).with_context(|| format!("return-url parameters ({what})")),
    }
}
