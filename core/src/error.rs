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
}

impl Error {
    /// The kind shared by every binding's error mapping: secret or user id.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidSecret { .. } => ErrorKind::InvalidSecret,
            Error::InvalidUserId { .. } | Error::InvalidUserIdAt { .. } => ErrorKind::InvalidUserId,
        }
    }

    /// The same error with a batch index moved by `offset`, for callers that sign
    /// a long batch in chunks (so messages still name the index in the whole batch).
    pub fn offset_index(self, offset: usize) -> Self {
        match self {
            Error::InvalidUserIdAt { index, problem } => Error::InvalidUserIdAt { index: index + offset, problem },
            other => other,
        }
    }

    pub(crate) fn secret(origin: SecretOrigin, problem: SecretProblem) -> Self {
        Error::InvalidSecret { origin, problem }
    }
}

/// The two error kinds of SPEC.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    InvalidSecret,
    InvalidUserId,
}

/// Where a rejected secret came from, so the message can point at it without showing it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretOrigin {
    /// Passed directly as the current secret.
    Argument,
    /// `previous[index]`, an older secret kept for verification.
    Previous(usize),
    /// Read from the named environment variable.
    EnvVar(String),
}

impl fmt::Display for SecretOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretOrigin::Argument => Ok(()),
            SecretOrigin::Previous(index) => write!(f, " (previous[{index}])"),
            SecretOrigin::EnvVar(name) => write!(f, " (environment variable {name})"),
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
}
