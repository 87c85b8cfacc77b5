//! The crate's error type: [`Error`], with [`FieldError`] and [`Problem`] for field-level detail.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::amount::AmountProblem;
use crate::gateway::Gateway;

/// `Result` with this crate's [`Error`].
pub(crate) type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong while building, parsing or validating a wire message.
///
/// Messages are lower case without a trailing period and say what was wrong and where
/// (the wire name of the field, e.g. `mandate.max_amount`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An amount that is not a non-negative decimal with at most two decimal places.
    InvalidAmount(AmountProblem),
    /// One field breaks its rule (identifier constructors, single-field parsers).
    InvalidField(FieldError),
    /// Several fields break their rules: every problem found, in wire order
    /// (`validate()`, the gateway check, form-body parsing).
    InvalidFields(Vec<FieldError>),
}

impl Error {
    /// Every field problem this error carries (one for [`Error::InvalidField`], the list for
    /// [`Error::InvalidFields`], none for an amount problem).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::InvalidAmount(_) => &[],
            Self::InvalidField(e) => core::slice::from_ref(e),
            Self::InvalidFields(list) => list,
        }
    }

    /// Builds the error of one field.
    pub(crate) fn field(field: impl Into<String>, problem: Problem) -> Self {
        Self::InvalidField(FieldError::new(field, problem))
    }

    /// `Ok(())` when `list` is empty, else [`Error::InvalidFields`].
    pub(crate) fn from_list(list: Vec<FieldError>) -> Result<()> {
        if list.is_empty() {
            Ok(())
        } else {
            Err(Self::InvalidFields(list))
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidAmount(p) => write!(f, "invalid amount: {p}"),
            Self::InvalidField(e) => write!(f, "invalid field {e}"),
            Self::InvalidFields(list) => {
                write!(f, "{} invalid field(s): ", list.len())?;
                for (i, e) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
        }
    }
}

impl core::error::Error for Error {}

impl From<AmountProblem> for Error {
    fn from(p: AmountProblem) -> Self {
        Self::InvalidAmount(p)
    }
}

/// One field and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldError {
    /// The wire name of the field (`customer_phone`, `mandate.rule_value`, `metadata.key`).
    pub field: String,
    /// What is wrong.
    pub problem: Problem,
}

impl FieldError {
    /// A field and its problem.
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.field, self.problem)
    }
}

/// What is wrong with a field.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The field is required and absent.
    Missing,
    /// The field is required by the named backend gateway (the mandatory-parameter table of `docs/spec/server-api.md`) and
    /// absent or empty.
    RequiredByGateway(Gateway),
    /// The field is empty where a value is required.
    Empty,
    /// The value is longer than allowed (in characters).
    TooLong {
        /// The maximum length, in characters.
        max: usize,
    },
    /// The value contains a character the field does not allow, at this character index.
    InvalidCharacter {
        /// Zero-based index of the first offending character.
        index: usize,
    },
    /// The value does not have the field's format; the text says which format.
    InvalidFormat(&'static str),
    /// A number outside its inclusive range.
    OutOfRange {
        /// Smallest allowed value.
        min: u64,
        /// Largest allowed value.
        max: u64,
    },
    /// An amount field that is not a valid amount.
    InvalidAmount(AmountProblem),
    /// Two fields contradict each other; the text says how.
    Conflict(&'static str),
    /// A key this message does not have (form-body parsing).
    UnknownField,
    /// An id that is `.` or `..`: a URL dot-segment, which would change the path of the
    /// request it is a segment of ([`crate::ids::DOT_SEGMENTS`]).
    DotSegment,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("missing"),
            Self::RequiredByGateway(g) => write!(f, "required by gateway {}", g.as_str()),
            Self::Empty => f.write_str("empty"),
            Self::TooLong { max } => write!(f, "longer than {max} characters"),
            Self::InvalidCharacter { index } => write!(f, "character not allowed at index {index}"),
            Self::InvalidFormat(what) => write!(f, "not {what}"),
            Self::OutOfRange { min, max } => write!(f, "not in the range {min}..={max}"),
            Self::InvalidAmount(p) => write!(f, "invalid amount: {p}"),
            Self::Conflict(what) => f.write_str(what),
            Self::UnknownField => f.write_str("unknown field"),
            Self::DotSegment => {
                f.write_str("`.` and `..` are not ids: they would change a URL path")
            }
        }
    }
}
