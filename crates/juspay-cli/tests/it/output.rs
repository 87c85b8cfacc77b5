//! Standard output that cannot be written: a full device is exit 2 with a one-line reason; a
//! reader that went away (a closed pipe, `| head`) ends the output, never the verdict.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Output, Stdio};

use crate::sign::{KAT_QUERY, PAYLOAD, RESPONSE_KEY, fixture};
use crate::{Scratch, stderr, stdout};

/// Where the command's standard output goes.
#[derive(Debug, Clone, Copy)]
enum Sink {
    /// `/dev/full`: every write fails with ENOSPC.
    Full,
    /// A pipe whose reader is closed before the command writes: every write fails with EPIPE.
    ClosedPipe,
}

/// Runs `juspay args` with `stdin` as standard input and standard output into `sink`.
fn juspay_into(sink: Sink, args: &[&str], stdin: &[u8]) -> Output {
    let out = match sink {
        Sink::Full => Stdio::from(std::fs::File::create("/dev/full").unwrap()),
        Sink::ClosedPipe => Stdio::piped(),
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_juspay"))
        .args(args)
        .env("JUSPAY_TEST_RESPONSE_KEY", RESPONSE_KEY)
        .stdin(Stdio::piped())
        .stdout(out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the command has its input, so before it writes anything.
    drop(child.stdout.take());
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

/// Every command that prints to standard output, with its input and its exit code when the
/// output is lost to a closed pipe (the verdict of a verification, 0 otherwise).
fn commands(scratch: &Scratch) -> Vec<(Vec<String>, Vec<u8>, i32)> {
    use juspay_signing::Signer as _;
    let pem = std::fs::read_to_string(fixture("test-rsa2048-pkcs8.pem")).unwrap();
    let key = juspay_signing::SigningKey::from_pem(&pem).unwrap();
    let signature = key.sign(PAYLOAD.as_bytes()).unwrap().to_base64();
    let signature = scratch.file("sig.txt", signature);
    let public = fixture("test-rsa2048-spki.pem");
    let private = fixture("test-rsa2048-pkcs1.pem");
    let verify = ["verify-signature", "--public-key", &public];
    let verify = [&verify[..], &["--signature-file", &signature]].concat();
    let verify_return = [
        "verify-return",
        "--response-key-env",
        "JUSPAY_TEST_RESPONSE_KEY",
    ];
    let verify_return = [&verify_return[..], &["--form", "/dev/stdin"]].concat();
    let schedule = [
        "mandate",
        "schedule",
        "--frequency",
        "DAILY",
        "--start",
        "2024-01-01",
    ];
    let schedule = [&schedule[..], &["--end", "2024-03-01"]].concat();
    let batch_line = r#"{"id":1,"frequency":"MONTHLY","start":"2024-01-01","end":"2024-12-31"}"#;
    let tampered = KAT_QUERY.replace("status_id=27", "status_id=21");
    let cases: [(&[&str], &str, i32); 7] = [
        (&["sign", "--key", &private], PAYLOAD, 0),
        (&verify, PAYLOAD, 0),
        (&verify, &PAYLOAD.replace("1.00", "1.01"), 1),
        (&verify_return, KAT_QUERY, 0),
        (&verify_return, &tampered, 1),
        (&["mandate", "batch"], &format!("{batch_line}\n"), 0),
        (&schedule, "", 0),
    ];
    cases
        .into_iter()
        .map(|(args, input, code)| {
            let args = args.iter().copied().map(str::to_owned).collect();
            (args, input.as_bytes().to_vec(), code)
        })
        .collect()
}

#[test]
fn a_full_device_is_exit_2_with_one_line_of_reason() {
    let scratch = Scratch::new();
    let mut cases = commands(&scratch);
    cases.push((vec!["demo".to_owned()], Vec::new(), 0));
    for (args, input, _) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = juspay_into(Sink::Full, &args, &input);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("error: ")
                && err.contains("cannot write to standard output")
                && err.contains("No space left on device"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_closed_pipe_ends_the_output_not_the_verdict() {
    let scratch = Scratch::new();
    for (args, input, code) in commands(&scratch) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = juspay_into(Sink::ClosedPipe, &args, &input);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
    // The demo runs to its end without a reader: its exit code is still its verdict.
    let out = juspay_into(Sink::ClosedPipe, &["demo"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// `juspay mandate batch | head -1`: the reader takes one record and leaves; the command stops
/// at its next write and exits 0.
#[test]
fn mandate_batch_into_head_exits_0() {
    let line = r#"{"id":7,"frequency":"DAILY","start":"2024-01-01","end":"2024-12-31"}"#;
    let input = format!("{line}\n").repeat(20_000);
    let scratch = Scratch::new();
    let input = scratch.file("requests.jsonl", input);
    let mut child = Command::new(env!("CARGO_BIN_EXE_juspay"))
        .args(["mandate", "batch", "--input", &input])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let record: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(
        (record["id"].clone(), record["count"].clone()),
        (7.into(), 365.into())
    );
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(stdout(&out), "");
}
