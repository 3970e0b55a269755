//! The one error type of the core. Bindings map each variant to their own
//! exception classes; no message ever contains a secret or a user id.

use std::fmt;

/// Why a signature could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The secret key is unusable (empty, padded with whitespace, missing from the environment).
    #[error("invalid secret key{origin}: {problem}")]
    InvalidSecret { origin: SecretOrigin, problem: SecretProblem },
    /// The user id is unusable (empty after conversion).
    #[error("invalid user id: {problem}")]
    InvalidUserId { problem: UserIdProblem },
    /// One element of a batch is unusable; `index` is its position (0-based).
    #[error("invalid user id at index {index}: {problem}")]
    InvalidUserIdAt { index: usize, problem: UserIdProblem },
    /// A field of the identity to render (email, name, a trait, a response value) is unusable.
    #[error("invalid {field}: {problem}")]
    InvalidTrait { field: Field, problem: TraitProblem },
    /// A renderer's option (survey URL, nonce, tags) is unusable.
    #[error("invalid {field}: {problem}")]
    InvalidOption { field: Field, problem: OptionProblem },
    /// One item of a batch of identities is unusable; `index` is its position (0-based).
    #[error("at index {index}: {error}")]
    AtIndex { index: usize, error: Box<Error> },
}

impl Error {
    /// The kind shared by every binding's error mapping: secret or user id.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidSecret { .. } => ErrorKind::InvalidSecret,
            Error::InvalidUserId { .. } | Error::InvalidUserIdAt { .. } => ErrorKind::InvalidUserId,
            Error::InvalidTrait { .. } => ErrorKind::InvalidTrait,
            Error::InvalidOption { .. } => ErrorKind::InvalidOption,
            Error::AtIndex { error, .. } => error.kind(),
        }
    }

    /// The batch index this error names, if any.
    pub fn index(&self) -> Option<usize> {
        match self {
            Error::InvalidUserIdAt { index, .. } | Error::AtIndex { index, .. } => Some(*index),
            _ => None,
        }
    }

    /// An unusable field of an identity; bindings use it for host types the core never sees.
    /// An unsupported type for `email` or `name` (text only) reads as such.
    pub fn trait_problem(field: Field, problem: TraitProblem) -> Self {
        let problem = match (&field, problem) {
            (Field::Email | Field::Name, TraitProblem::UnsupportedType(got)) => TraitProblem::NotText(got),
            (_, problem) => problem,
        };
        Error::InvalidTrait { field, problem }
    }

    /// An unusable renderer option.
    pub fn option(field: Field, problem: OptionProblem) -> Self {
        Error::InvalidOption { field, problem }
    }

    /// This error as the one of item `index` of a batch (a user id problem
    /// becomes [`Error::InvalidUserIdAt`], anything else [`Error::AtIndex`]).
    pub fn at_index(self, index: usize) -> Self {
        match self {
            Error::InvalidUserId { problem } => Error::InvalidUserIdAt { index, problem },
            other => Error::AtIndex { index, error: Box::new(other) },
        }
    }

    /// The same error with a batch index moved by `offset`, for callers that sign
    /// a long batch in chunks (so messages still name the index in the whole batch).
    pub fn offset_index(self, offset: usize) -> Self {
        match self {
            Error::InvalidUserIdAt { index, problem } => Error::InvalidUserIdAt { index: index + offset, problem },
            Error::AtIndex { index, error } => Error::AtIndex { index: index + offset, error },
            other => other,
        }
    }

    pub(crate) fn secret(origin: SecretOrigin, problem: SecretProblem) -> Self {
        Error::InvalidSecret { origin, problem }
    }
}

/// The error kinds of SPEC.md (exhaustive on purpose: a new kind must be mapped by every binding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    InvalidSecret,
    InvalidUserId,
    InvalidTrait,
    InvalidOption,
}

/// Where a rejected secret came from, so the message can point at it without showing it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretOrigin {
    /// Passed directly as the current secret.
    Argument,
    /// `previous[index]`, an older secret kept for verification.
    Previous(usize),
    /// Read from the named environment variable.
    EnvVar(String),
}

/// A variable name as messages show it: only a conventional one (upper case,
/// digits, `_`). Anything else may be the key itself, passed where its
/// variable's name belongs, so it is not echoed.
fn shown_variable(name: &str) -> Option<&str> {
    let conventional = !name.is_empty()
        && name.len() <= 100
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    conventional.then_some(name)
}

impl fmt::Display for SecretOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretOrigin::Argument => Ok(()),
            SecretOrigin::Previous(index) => write!(f, " (previous[{index}])"),
            SecretOrigin::EnvVar(name) => match shown_variable(name) {
                Some(name) => write!(f, " (environment variable {name})"),
                None => f.write_str(
                    " (an environment variable whose name is not shown: it is not an upper-case variable name, \
                     and may be the key itself)",
                ),
            },
        }
    }
}

impl fmt::Debug for SecretOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretOrigin::Argument => f.write_str("Argument"),
            SecretOrigin::Previous(index) => f.debug_tuple("Previous").field(index).finish(),
            SecretOrigin::EnvVar(name) => {
                f.debug_tuple("EnvVar").field(&shown_variable(name).unwrap_or("<not shown>")).finish()
            }
        }
    }
}

/// What is wrong with a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretProblem {
    #[error("it is empty; copy the key from Refiner's SETTINGS > Identity Verification")]
    Empty,
    #[error(
        "it starts or ends with a space, tab, CR or LF; this is usually a newline picked up \
         from a file or an environment variable, so strip it where the key is loaded"
    )]
    SurroundingWhitespace,
    #[error("the variable is not set")]
    EnvUnset,
    #[error("the variable is set but empty")]
    EnvEmpty,
    #[error("the variable's value is not valid Unicode on this platform")]
    EnvNotUnicode,
    /// Empty, or holding `=` or NUL: no variable has such a name (and `getenv`
    /// would read part of another one for `A=B`).
    #[error("no environment variable can have that name (it is empty or holds '=' or NUL)")]
    EnvBadName,
}

/// What is wrong with a user id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UserIdProblem {
    #[error("Identity Verification needs a non-empty unique user identifier")]
    Empty,
    /// A binding passed a big integer whose text is not canonical decimal (a binding bug).
    #[error("an integer user id must be canonical decimal text (-?[1-9][0-9]*|0)")]
    NotCanonicalDecimal,
    /// Raw bytes that are not UTF-8 cannot be shown as the id a renderer writes.
    #[error(
        "this id is raw bytes that are not valid UTF-8, so it cannot be written into JSON or a URL \
         as the exact text that was signed; pass the id as text"
    )]
    NotText,
}

/// The field an [`Error::InvalidTrait`] or [`Error::InvalidOption`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Field {
    Email,
    Name,
    /// A trait, by name (as given, shown escaped and shortened).
    Trait(String),
    /// A survey link's contextual `response_<name>` value.
    Response(String),
    /// The survey's base URL.
    Url,
    /// The CSP nonce of a script tag.
    Nonce,
    /// A survey link's locale.
    Locale,
    /// A survey link's tags (as one string or as a whole list).
    Tags,
    /// One tag of a list.
    Tag(usize),
}

/// Longest part of a host-given name shown in a message.
const NAME_SHOWN: usize = 120;

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |name: &str| {
            let cut: String = name.chars().take(NAME_SHOWN).collect();
            if cut.len() < name.len() {
                format!("{cut:?}...")
            } else {
                format!("{cut:?}")
            }
        };
        match self {
            Field::Email => f.write_str("email"),
            Field::Name => f.write_str("name"),
            Field::Trait(name) => write!(f, "trait {}", shown(name)),
            Field::Response(name) => write!(f, "response value {}", shown(name)),
            Field::Url => f.write_str("survey url"),
            Field::Nonce => f.write_str("nonce"),
            Field::Locale => f.write_str("locale"),
            Field::Tags => f.write_str("tags"),
            Field::Tag(index) => write!(f, "tags[{index}]"),
        }
    }
}

/// What is wrong with a field of an identity (Refiner's documented trait limits).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TraitProblem {
    #[error("a name must match [A-Za-z_][A-Za-z0-9_]* (so no JavaScript object reorders it and it is a plain URL parameter)")]
    BadName,
    #[error("a name may have at most 100 characters")]
    NameTooLong,
    #[error("id, email, name, signature and identify_verification_signature are written by the renderer, not traits")]
    ReservedName,
    #[error("the name is given twice")]
    Duplicate,
    #[error("Refiner accepts text of at most 10,000 characters")]
    TextTooLong,
    #[error("Refiner accepts integers from -2147483647 to 2147483647; send a larger number as text")]
    IntegerOutOfRange,
    #[error("a date must be a real calendar date in the years 1 to 9999")]
    DateOutOfRange,
    #[error("a timestamp must fall in the years 1 to 9999 (UTC)")]
    TimestampOutOfRange,
    #[error("a datetime without a time zone is ambiguous; give it a tzinfo (for example UTC)")]
    NaiveDateTime,
    /// The host gave a value of a type Refiner does not accept (the host's type name).
    #[error("Refiner accepts text, integers, dates and timestamps (or null to leave it out), not {0}")]
    UnsupportedType(String),
    /// `email` or `name` given as something other than text (the host's type name).
    #[error("Refiner accepts text here (or null to leave it out), not {0}")]
    NotText(String),
}

/// What is wrong with a renderer's option.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OptionProblem {
    #[error("a survey URL is printable ASCII with no spaces (percent-encode anything else)")]
    UrlNotPrintableAscii,
    #[error("a survey URL must be absolute, starting with https:// or http://")]
    UrlScheme,
    #[error("a survey URL may not hold user info (user:password@)")]
    UrlUserInfo,
    #[error("a survey URL needs a host (and a numeric port, if any)")]
    UrlHost,
    #[error("the survey URL already has a {0} parameter, which the link would contradict")]
    UrlHasParameter(String),
    #[error("a nonce must be 1 to 256 characters of A-Z a-z 0-9 + / = _ - (it is not shown here)")]
    Nonce,
    #[error("a tag may not hold a comma (tags are joined with commas)")]
    TagComma,
    #[error("a tag may not be empty")]
    EmptyTag,
    /// The host gave a value of a type the option does not accept (the host's type name).
    #[error("expected {expected}, not {got}")]
    UnsupportedType { expected: &'static str, got: String },
}
