//! `juspay sign`, `juspay verify-signature`, `juspay verify-return` (spec/cli.md).
//!
//! Secrets never come from the command line: private keys and response keys are read from
//! files (or, for the response key, an environment variable) into zeroizing buffers.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use juspay_signing::return_url::{self, ReturnParams};
use juspay_signing::{Signature, Signer as _, SigningKey, VerifyingKey};
use zeroize::Zeroizing;

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
fn read_input(path: Option<&Path>) -> anyhow::Result<Vec<u8>> {
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

/// Reads a key file into a zeroizing buffer.
fn read_key_file(path: &Path) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    std::fs::read(path)
        .map(Zeroizing::new)
        .with_context(|| format!("cannot read key file {}", path.display()))
}

/// PEM when the file is text holding a `-----BEGIN ` line (explanatory text before it, as
/// OpenSSL's `Bag Attributes`, is allowed), DER otherwise.
fn as_pem(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    text.contains("-----BEGIN ").then_some(text)
}

fn load_signing_key(path: &Path) -> anyhow::Result<SigningKey> {
    let bytes = read_key_file(path)?;
    match as_pem(&bytes) {
        Some(pem) => SigningKey::from_pem(pem),
        None => SigningKey::from_der(&bytes),
    }
    .with_context(|| format!("key file {}", path.display()))
}

fn load_verifying_key(path: &Path) -> anyhow::Result<VerifyingKey> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read public key file {}", path.display()))?;
    match as_pem(&bytes) {
        Some(pem) => VerifyingKey::from_pem(pem),
        None => VerifyingKey::from_der(&bytes),
    }
    .with_context(|| format!("public key file {}", path.display()))
}

#[allow(clippy::print_stdout)] // The signature is the command's output.
pub(crate) fn sign(args: &SignArgs) -> anyhow::Result<Outcome> {
    let key = load_signing_key(&args.key)?;
    let payload = read_input(args.payload.as_deref())?;
    let signature = key.sign(&payload).context("signing failed")?;
    match args.encoding {
        Encoding::Base64 => println!("{}", signature.to_base64()),
        Encoding::Hex => println!("{}", signature.to_hex()),
    }
    Ok(Outcome::Success)
}

#[allow(clippy::print_stdout)] // "valid" / "invalid" is the command's output.
pub(crate) fn verify_signature(args: &VerifySignatureArgs) -> anyhow::Result<Outcome> {
    let key = load_verifying_key(&args.public_key)?;
    let signature_text = match (&args.signature, &args.signature_file) {
        (Some(text), None) => text.clone(),
        (None, Some(path)) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read signature file {}", path.display()))?,
        _ => bail!("give exactly one of --signature and --signature-file"),
    };
    let signature = Signature::parse(&signature_text).context("signature")?;
    let payload = read_input(args.payload.as_deref())?;
    Ok(report(key.verify(&payload, &signature)))
}

/// Prints the verdict of a verification that ran; exit 1 when it failed.
#[allow(clippy::print_stdout)]
fn report(result: juspay_signing::Result<()>) -> Outcome {
    match result {
        Ok(()) => {
            println!("valid");
            Outcome::Success
        }
        Err(_) => {
            println!("invalid");
            Outcome::VerificationFailed
        }
    }
}

fn response_key(args: &VerifyReturnArgs) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    let mut key = match (&args.response_key_file, &args.response_key_env) {
        (Some(path), None) => read_key_file(path)?,
        (None, Some(var)) => {
            let value = std::env::var(var)
                .map(Zeroizing::new)
                .with_context(|| format!("environment variable {var} is not set or not UTF-8"))?;
            Zeroizing::new(value.as_bytes().to_vec())
        }
        _ => bail!("give exactly one of --response-key-file and --response-key-env"),
    };
    // A key file written by `echo` ends in a newline that is not part of the key.
    while key.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        key.pop();
    }
    if key.is_empty() {
        bail!("the response key is empty");
    }
    Ok(key)
}

fn return_params(args: &VerifyReturnArgs) -> anyhow::Result<ReturnParams> {
    match (&args.query, &args.url, &args.form) {
        (Some(query), None, None) => ReturnParams::from_query(query).context("--query"),
        (None, Some(url), None) => ReturnParams::from_url(url).context("--url"),
        (None, None, Some(path)) => {
            let body = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read form body {}", path.display()))?;
            ReturnParams::from_form_body(&body)
                .with_context(|| format!("--form {}", path.display()))
        }
        _ => bail!("give exactly one of --query, --url and --form"),
    }
}

/// `--explain`: every step of signing.md §1, on stderr.
#[allow(clippy::print_stderr)]
fn explain(params: &ReturnParams, key: &[u8]) {
    eprintln!("step 1: parameters, decoded once (signature and signature_algorithm set aside):");
    for (k, v) in params.params() {
        eprintln!("    {k:?} = {v:?}");
    }
    eprintln!(
        "    signature (as received) = {:?}",
        params.signature().unwrap_or("<missing>")
    );
    eprintln!(
        "    signature_algorithm = {:?}",
        params
            .signature_algorithm()
            .unwrap_or("<absent: HMAC-SHA256>")
    );
    eprintln!("steps 2-3: each key and value form-urlencoded, sorted by encoded key:");
    for (k, v) in params.encoded_pairs() {
        eprintln!("    {k}={v}");
    }
    eprintln!(
        "step 4: canonical string:\n    {}",
        params.canonical_string()
    );
    eprintln!(
        "step 5: string to sign (canonical string form-urlencoded):\n    {}",
        params.string_to_sign()
    );
    let expected = params.expected_signature(key);
    eprintln!("steps 6-7: computed HMAC-SHA256, base64:\n    {expected}");
    eprintln!(
        "    as it appears in a URL (encoded twice): {}",
        return_url::form_urlencode(&return_url::form_urlencode(&expected))
    );
    match params.signature().map(return_url::normalize_signature) {
        Some(Ok(bytes)) => {
            let received = Signature::from_bytes(bytes.to_vec()).to_base64();
            eprintln!("received signature, normalised to base64:\n    {received}");
        }
        Some(Err(e)) => eprintln!("received signature cannot be read: {e}"),
        None => eprintln!("no signature received"),
    }
}

pub(crate) fn verify_return(args: &VerifyReturnArgs) -> anyhow::Result<Outcome> {
    let key = response_key(args)?;
    let params = return_params(args)?;
    if args.explain {
        explain(&params, &key);
    }
    let result = params.verify(&key);
    if args.explain {
        explain_result(&result);
    }
    match result {
        // The MAC was computed and compared (in constant time): a verdict, exit 0 or 1.
        Ok(()) | Err(juspay_signing::Error::Verification) => Ok(report(result)),
        // Refused before any MAC comparison: malformed input, exit 2.
        Err(e) => Err(e).context("return-url parameters"),
    }
}

#[allow(clippy::print_stderr)]
fn explain_result(result: &juspay_signing::Result<()>) {
    match result {
        Ok(()) => eprintln!("result: the MACs match (constant-time comparison)"),
        Err(juspay_signing::Error::Verification) => eprintln!("result: the MACs differ"),
        Err(e) => eprintln!("result: refused before comparing: {e}"),
    }
}
