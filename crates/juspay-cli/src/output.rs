//! Standard output, checked: every command writes its results through here.
//!
//! A write that fails is an [`OutputError`]. [`OutputError::ReaderGone`] (a closed pipe,
//! `| head`) leaves a command's verdict as it is ([`verdict`]) and is exit 0 for a command
//! without one (`main`); [`OutputError::Failed`] (a full disk, `/dev/full`) is exit 2 with a
//! one-line reason. Messages on stderr are best effort: there is nowhere to report their failure.

use std::io::{self, Write};

/// Standard output could not be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OutputError {
    /// The reader closed its end (EPIPE): it has what it wanted.
    #[error("the reader of standard output has gone")]
    ReaderGone,
    /// Any other write error.
    #[error("cannot write to standard output: {0}")]
    Failed(io::Error),
}

impl OutputError {
    fn from_io(error: io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::BrokenPipe => Self::ReaderGone,
            _ => Self::Failed(error),
        }
    }

    /// The output error inside `error`, directly or carried by an `io::Error` (a library that
    /// wrote through [`Stdout`]).
    pub(crate) fn find(error: &anyhow::Error) -> Option<&Self> {
        error.chain().find_map(|cause| {
            cause.downcast_ref::<Self>().or_else(|| {
                let io = cause.downcast_ref::<io::Error>()?;
                io.get_ref()?.downcast_ref::<Self>()
            })
        })
    }
}

/// Standard output as a checked [`Write`]: its errors are [`OutputError`]s (inside an
/// `io::Error`, for code that writes through `Write`).
pub(crate) struct Stdout(io::StdoutLock<'static>);

/// Locks standard output.
pub(crate) fn stdout() -> Stdout {
    Stdout(io::stdout().lock())
}

fn checked<T>(result: io::Result<T>) -> io::Result<T> {
    result.map_err(|e| io::Error::other(OutputError::from_io(e)))
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        checked(self.0.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        checked(self.0.flush())
    }
}

/// Writes one line to standard output, flushed.
pub(crate) fn line(text: std::fmt::Arguments<'_>) -> Result<(), OutputError> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(OutputError::from_io)
}

/// Writes `bytes` to standard output as they are, flushed.
pub(crate) fn bytes(bytes: &[u8]) -> Result<(), OutputError> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(OutputError::from_io)
}

/// The outcome of a command that has a verdict, once its output is written: a reader that
/// has gone does not change the verdict; any other write error is exit 2.
pub(crate) fn verdict(
    written: Result<(), OutputError>,
    outcome: crate::Outcome,
) -> anyhow::Result<crate::Outcome> {
    match written {
        Ok(()) | Err(OutputError::ReaderGone) => Ok(outcome),
        Err(e) => Err(e.into()),
    }
}

/// `say!(...)`: `println!` that returns `Result<(), OutputError>` instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))
    };
}

/// `note!(...)`: `eprintln!` that never panics (a message on stderr is best effort).
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}
