//! `juspay demo`: the whole merchant lifecycle against the embedded sandbox (`docs/spec/cli.md`),
//! one module per stage: `setup`, `payment` (order to refund), `mandate`. This file is the runner.

use std::time::{Duration, Instant};

use juspay_sandbox::{Endpoint, Fault};

use crate::Outcome;
use crate::output::OutputError;

mod keypair;
mod mandate;
mod payment;
mod s2s;
mod setup;

use setup::Ctx;

/// Arguments of `juspay demo`.
#[derive(Debug, clap::Args)]
pub(crate) struct DemoArgs {
    /// Print one JSON object per step instead of human-readable lines.
    #[arg(long)]
    json: bool,
}

pub(crate) fn demo(args: &DemoArgs) -> anyhow::Result<Outcome> {
    let passed = crate::runtime()?.block_on(run(args.json))?;
    Ok(if passed {
        Outcome::Success
    } else {
        Outcome::VerificationFailed
    })
}

/// What one step checked and saw.
#[derive(Default)]
struct Step {
    checks: Vec<(String, bool)>,
    info: Vec<(String, String)>,
}

impl Step {
    /// Records a check; returns whether it passed.
    fn check(&mut self, what: impl Into<String>, ok: bool) -> bool {
        self.checks.push((what.into(), ok));
        ok
    }

    /// Records an observation (never a secret).
    fn info(&mut self, key: &str, value: impl std::fmt::Display) {
        self.info.push((key.to_owned(), value.to_string()));
    }
}

/// Prints steps as they finish and keeps the score.
struct Report {
    json: bool,
    started: Instant,
    passed: usize,
    failed: usize,
    /// Ok while stdout takes our lines; a reader that has gone makes the demo run on silently
    /// (its exit code is the verdict), any other write error stops it.
    output: Result<(), OutputError>,
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl Report {
    /// Prints a line while stdout takes them.
    fn say(&mut self, line: std::fmt::Arguments<'_>) {
        if self.output.is_ok() {
            self.output = crate::output::line(line);
        }
    }

    /// A write error other than a reader that has gone, which ends the demo (exit 2).
    fn write_failure(&mut self) -> anyhow::Result<()> {
        match std::mem::replace(&mut self.output, Ok(())) {
            Err(e @ OutputError::Failed(_)) => Err(e.into()),
            other => {
                self.output = other;
                Ok(())
            }
        }
    }

    /// Ends the next step of [`STEPS`] (`run` takes no more steps than the table holds): an
    /// error becomes a failed check. Returns the value only if every check passed (later
    /// steps build on it).
    fn end<T>(&mut self, mut step: Step, started: Instant, result: anyhow::Result<T>) -> Option<T> {
        let (name, title) = STEPS[self.passed + self.failed];
        let value = result
            .map_err(|e| step.check(format!("error: {e:#}"), false))
            .ok();
        let elapsed = millis(started.elapsed());
        let ok = !step.checks.is_empty() && step.checks.iter().all(|(_, ok)| *ok);
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
        if self.json {
            let checks: Vec<_> = step
                .checks
                .iter()
                .map(|(what, ok)| serde_json::json!({ "check": what, "ok": ok }))
                .collect();
            let info: serde_json::Map<_, _> = step
                .info
                .into_iter()
                .map(|(k, v)| (k, serde_json::Value::from(v)))
                .collect();
            let line = serde_json::json!({
                "step": name, "title": title, "ok": ok, "ms": elapsed,
                "checks": checks, "info": info,
            });
            self.say(format_args!("{line}"));
        } else {
            let n = self.passed + self.failed;
            let verdict = if ok { "[ok]  " } else { "[FAIL]" };
            self.say(format_args!(
                "{verdict} {n:>2}. {title:<48} {elapsed:>8.1} ms"
            ));
            for (what, ok) in &step.checks {
                self.say(format_args!(
                    "          {} {what}",
                    if *ok { "+" } else { "!" }
                ));
            }
            for (k, v) in &step.info {
                self.say(format_args!("          = {k}: {v}"));
            }
        }
        value.filter(|_| ok)
    }

    fn summary(&mut self) -> bool {
        let ok = self.failed == 0;
        let elapsed = millis(self.started.elapsed());
        let (passed, failed) = (self.passed, self.failed);
        if self.json {
            let line = serde_json::json!({ "step": "summary", "ok": ok, "passed": passed, "failed": failed, "ms": elapsed });
            self.say(format_args!("{line}"));
        } else if ok {
            self.say(format_args!(
                "all {passed} steps verified in {elapsed:.0} ms"
            ));
        } else {
            let total = passed + failed;
            self.say(format_args!(
                "{failed} of {total} steps failed ({elapsed:.0} ms)"
            ));
        }
        ok
    }
}

/// The steps of the demo, in the order `run` takes them: (name, title).
const STEPS: [(&str, &str); 17] = [
    ("start", "start the sandbox and the merchant server"),
    ("session", "create an order session (POST /session)"),
    (
        "sdk_payload",
        "sign the SDK paymentPage payload (RSA-SHA256)",
    ),
    ("pay", "customer pays on the hosted page (card)"),
    ("return", "signed redirect verified by the merchant"),
    ("order_status", "order status confirms the payment"),
    ("webhook", "webhook verified and deduplicated"),
    ("refund", "partial refund through an injected fault"),
    ("mandate", "mandate registered, debit dates computed"),
    ("mandate_debit", "one mandate debit inside its window"),
    (
        "keypair_session",
        "key-pair merchant: session over /v4 (JWS in JWE)",
    ),
    ("keypair_status", "key-pair merchant: order status over /v4"),
    (
        "keypair_refund",
        "key-pair merchant: partial refund over /v4",
    ),
    (
        "failure",
        "failure run: authentication failed is never paid",
    ),
    (
        "upi_collect",
        "UPI collect paid server to server (POST /txns)",
    ),
    ("capture", "card authorized on 3-D Secure, then captured"),
    ("void", "card authorized, then voided"),
];

/// The scripted demo flow; returns whether every check passed.
async fn run(json: bool) -> anyhow::Result<bool> {
    let mut report = Report {
        json,
        started: Instant::now(),
        passed: 0,
        failed: 0,
        output: Ok(()),
    };
    // `step!(s => body)` runs the next step of `STEPS`: `body` sees it as `s`. A failed step
    // ends the demo (later steps build on earlier ones); otherwise the step's value is the
    // macro's value.
    macro_rules! step {
        ($s:ident => $body:expr) => {{
            let (mut $s, started) = (Step::default(), Instant::now());
            let result = $body;
            let value = report.end($s, started, result);
            report.write_failure()?;
            match value {
                Some(value) => value,
                None => {
                    let ok = report.summary();
                    report.write_failure()?;
                    return Ok(ok);
                }
            }
        }};
    }
    if !json {
        report.say(format_args!(
            "juspay demo: the merchant lifecycle against the local sandbox (offline)"
        ));
        report.write_failure()?;
    }
    let ctx: Ctx = step!(s => setup::start(&mut s).await);
    let link = step!(s => payment::create_session(&ctx, &mut s).await);
    step!(s => payment::sign_payload(&ctx, &mut s));
    // The merchant's 200 to the next webhook is lost once: expect a duplicate delivery.
    ctx.sandbox.inject(Endpoint::Webhook, Fault::Reset);
    let location = step!(s => ctx.pay(&mut s, &link, "card_success").await);
    step!(s => payment::redirect(&ctx, &mut s, &location).await);
    step!(s => payment::confirm_status(&ctx, &mut s).await);
    step!(s => payment::delivered_once(&ctx, &mut s).await);
    step!(s => payment::partial_refund(&ctx, &mut s).await);
    let registered = step!(s => mandate::register(&ctx, &mut s).await);
    step!(s => mandate::execute(&ctx, &mut s, &registered).await);
    step!(s => keypair::session(&ctx, &mut s).await);
    step!(s => keypair::status(&ctx, &mut s).await);
    step!(s => keypair::refund(&ctx, &mut s).await);
    step!(s => payment::failed_authentication(&ctx, &mut s).await);
    step!(s => s2s::upi_collect(&ctx, &mut s).await);
    step!(s => s2s::capture(&ctx, &mut s).await);
    step!(s => s2s::void(&ctx, &mut s).await);

    let ok = report.summary();
    ctx.sandbox.shutdown().await;
    report.write_failure()?;
    Ok(ok)
}
