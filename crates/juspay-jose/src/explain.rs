//! A step-by-step account of opening an envelope, for humans debugging an integration.

use core::fmt;

/// One step of [`Party::explain_open`](crate::Party::explain_open).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Step {
    /// What was checked or done, for example `"jwe kid"` or `"decrypt (A256GCM)"`.
    pub name: &'static str,
    /// Whether it passed.
    pub ok: bool,
    /// What was found: header values, part sizes, or why it failed. Never key material,
    /// the content-encryption key or the payload.
    pub detail: String,
}

/// The record of one [`Party::explain_open`](crate::Party::explain_open): the steps up to
/// and including the first that failed, and the payload when every step passed.
///
/// `Display` prints one line per step (`ok` or `FAILED`, the name, the detail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    steps: Vec<Step>,
    payload: Option<Vec<u8>>,
}

impl Explanation {
    pub(crate) const fn new(steps: Vec<Step>, payload: Option<Vec<u8>>) -> Self {
        Self { steps, payload }
    }

    /// The steps, in order; the last one failed unless the envelope opened.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The first step that failed.
    pub fn failed_step(&self) -> Option<&Step> {
        self.steps.iter().find(|step| !step.ok)
    }

    /// The verified payload, when the envelope opened.
    pub fn payload(&self) -> Option<&[u8]> {
        self.payload.as_deref()
    }

    /// The verified payload, when the envelope opened.
    pub fn into_payload(self) -> Option<Vec<u8>> {
        self.payload
    }

    /// Whether the envelope failed at its first step: it is not JSON with the five string
    /// members (malformed input, rather than an envelope that was refused).
    pub fn malformed(&self) -> bool {
        self.failed_step()
            .is_some_and(|step| step.name == crate::envelope::ENVELOPE_STEP)
    }

    /// Whether the envelope opened.
    pub const fn opened(&self) -> bool {
        self.payload.is_some()
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.steps {
            let mark = if step.ok { "ok    " } else { "FAILED" };
            writeln!(f, "{mark} {}: {}", step.name, step.detail)?;
        }
        if self.opened() {
            writeln!(f, "opened: the payload is verified")
        } else {
            writeln!(f, "not opened")
        }
    }
}

/// Where `open` records its steps: nowhere for [`Party::open`](crate::Party::open), a list for
/// `explain_open`.
pub(crate) trait Trace {
    fn step(&mut self, name: &'static str, ok: bool, detail: impl FnOnce() -> String);
}

/// Records nothing (the detail closures are never called).
pub(crate) struct NoTrace;

impl Trace for NoTrace {
    fn step(&mut self, _: &'static str, _: bool, _: impl FnOnce() -> String) {}
}

impl Trace for Vec<Step> {
    fn step(&mut self, name: &'static str, ok: bool, detail: impl FnOnce() -> String) {
        self.push(Step {
            name,
            ok,
            detail: detail(),
        });
    }
}
