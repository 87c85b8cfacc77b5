//! `juspay mandate schedule` and `juspay mandate batch`.

use crate::{Scratch, juspay, juspay_line, stderr, stdout};

#[test]
fn schedule_human_output() {
    let cases = [
        // Plain dates, one per line.
        (
            "--frequency MONTHLY --rule-value 31 --start 2023-12-31 --end 2024-04-30",
            "2024-01-31\n2024-02-29\n2024-03-31\n2024-04-30\n",
        ),
        // BEFORE/AFTER: the date and its window, one per line.
        (
            "--frequency WEEKLY --rule-value 3 --rule-type BEFORE --start 2024-01-01 --end 2024-01-21",
            "2024-01-03\t2024-01-02\t2024-01-03\n2024-01-10\t2024-01-08\t2024-01-10\n2024-01-17\t2024-01-15\t2024-01-17\n",
        ),
        // ONETIME: one open window.
        (
            "--frequency ONETIME --start 2024-01-01 --end 2024-01-31",
            "window\t2024-01-02\t2024-01-31\n",
        ),
        (
            "--frequency DAILY --start 2024-01-01 --end 2024-01-02 --include-start",
            "2024-01-01\n2024-01-02\n",
        ),
    ];
    for (args, expected) in cases {
        let out = juspay_line(&format!("mandate schedule {args}"));
        assert_eq!(out.status.code(), Some(0), "{args}: {}", stderr(&out));
        assert_eq!(stdout(&out), expected, "{args}");
    }
}

#[test]
fn schedule_epochs_profile_and_json() {
    // 2024-01-20 and 2024-04-30 at 00:00 IST.
    let out = juspay_line(
        "mandate schedule --frequency MONTHLY --start-ts 1705689000 --end-ts 1714415400 --profile razorpay --json",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "frequency": "MONTHLY", "profile": "razorpay", "rule_value": 31, "rule_type": "BEFORE",
            "first_allowed": "2024-01-21",
            "dates": ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"],
            "windows": [["2024-01-21", "2024-01-31"], ["2024-02-01", "2024-02-29"], ["2024-03-01", "2024-03-31"], ["2024-04-01", "2024-04-30"]],
            "window": null, "max_debits": 4, "count": 4
        })
    );
}

#[test]
fn schedule_errors_exit_2_with_code() {
    let cases = [
        (
            "--frequency MONTHLY --start 2024-01-01 --end 2024-02-01",
            "MISSING_RULE_VALUE",
        ),
        (
            "--frequency MONTHLY --rule-value 32 --start 2024-01-01 --end 2024-02-01",
            "INVALID_RULE_VALUE",
        ),
        (
            "--frequency MONTHLY --rule-value x --start 2024-01-01 --end 2024-02-01",
            "INVALID_RULE_VALUE",
        ),
        (
            "--frequency MONTHLY --rule-value 3 --rule-type NEAR --start 2024-01-01 --end 2024-02-01",
            "INVALID_RULE_TYPE",
        ),
        (
            "--frequency HOURLY --start 2024-01-01 --end 2024-02-01",
            "INVALID_FREQUENCY",
        ),
        (
            "--frequency DAILY --start 2024-02-02 --end 2024-02-01",
            "END_BEFORE_START",
        ),
        (
            "--frequency DAILY --start 2024-02-30 --end 2024-03-01",
            "MALFORMED_INPUT",
        ),
    ];
    for (args, code) in cases {
        let out = juspay_line(&format!("mandate schedule {args}"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(code), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(stdout(&out).is_empty());
    }
    // Usage errors (clap): both start forms, or none.
    let out = juspay_line(
        "mandate schedule --frequency DAILY --start 2024-01-01 --start-ts 1 --end 2024-02-01",
    );
    assert_eq!(out.status.code(), Some(2));
    let out = juspay_line("mandate schedule --frequency DAILY --end 2024-02-01");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn batch_stdin_to_stdout_in_order() {
    let input = concat!(
        r#"{"id": 1, "frequency": "MONTHLY", "rule_value": 31, "rule_type": null, "start_ts": 1706725800, "end_ts": 1714415400, "profile": "default", "include_start": false}"#,
        "\n",
        "garbage\n",
        r#"{"id": "q", "frequency": "QUARTERLY", "start": "2024-01-31", "end": "2024-12-31", "profile": "paytm"}"#,
        "\n",
        r#"{"id": null, "frequency": "ASPRESENTED", "start": "2024-01-31", "end": "2024-01-31"}"#,
        "\n",
        r#"{"id": {"n": 2}, "frequency": "ONETIME", "start": "2024-01-01", "end": "2024-01-31"}"#,
        "\n",
        r#"{"id": 3, "frequency": "MONTHLY", "rule_value": 0, "start": "2024-01-01", "end": "2024-12-31"}"#,
        "\n",
    );
    let out = juspay(&["mandate", "batch"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["rule_type"], "ON");
    // start_ts 1706725800 is IST 2024-02-01 (M1), so the first permitted day is 2024-02-02 (M2).
    assert_eq!(lines[0]["first_allowed"], "2024-02-02");
    assert_eq!(
        lines[0]["dates"],
        serde_json::json!(["2024-02-29", "2024-03-31", "2024-04-30"])
    );
    assert_eq!(lines[0]["windows"], serde_json::Value::Null);
    assert_eq!(
        (lines[0]["max_debits"].clone(), lines[0]["count"].clone()),
        (3.into(), 3.into())
    );
    assert_eq!(
        lines[1],
        serde_json::json!({"id": null, "error": "MALFORMED_INPUT", "message": lines[1]["message"].clone()})
    );
    assert_eq!(
        lines[2],
        serde_json::json!({
            "id": "q", "frequency": "QUARTERLY", "profile": "paytm", "rule_value": 31, "rule_type": "AFTER",
            "first_allowed": "2024-02-01", "dates": ["2024-04-30", "2024-07-31", "2024-10-31"],
            "windows": [["2024-04-30", "2024-04-30"], ["2024-07-31", "2024-07-31"], ["2024-10-31", "2024-10-31"]],
            "window": null, "max_debits": 3, "count": 3
        })
    );
    assert_eq!(
        lines[3],
        serde_json::json!({
            "id": null, "frequency": "ASPRESENTED", "profile": "default", "rule_value": null, "rule_type": null,
            "first_allowed": null, "dates": [], "windows": null, "window": null, "max_debits": null, "count": 0
        })
    );
    assert_eq!(lines[4]["id"], serde_json::json!({"n": 2}));
    assert_eq!(
        lines[4]["window"],
        serde_json::json!(["2024-01-02", "2024-01-31"])
    );
    assert_eq!(lines[4]["max_debits"], 1);
    assert_eq!(lines[5]["id"], 3);
    assert_eq!(lines[5]["error"], "INVALID_RULE_VALUE");
}

#[test]
fn batch_files() {
    let scratch = Scratch::new();
    let output = scratch.path("out.jsonl");
    let lines: String = (0..1000)
        .map(|i| format!("{{\"id\":{i},\"frequency\":\"WEEKLY\",\"rule_value\":{},\"start\":\"2024-01-01\",\"end\":\"2025-01-01\"}}\n", i % 7 + 1))
        .collect();
    let input = scratch.file("in.jsonl", lines);
    let out = juspay(
        &[
            "mandate",
            "batch",
            "--input",
            &input,
            "--output",
            output.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(&output).unwrap();
    let ids: Vec<i64> = written
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(ids, (0..1000).collect::<Vec<_>>());
    let missing = juspay(
        &[
            "mandate",
            "batch",
            "--input",
            scratch.path("absent").to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(missing.status.code(), Some(2));
}
