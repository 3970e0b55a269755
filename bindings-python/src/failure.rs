//! Why an identity or renderer option could not be read from Python, kept
//! apart from its location so a batch can say which item it was.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use refiner_identity::{Error, ErrorKind};

use crate::error::{to_py, InvalidOptionError, InvalidTraitError};

/// One conversion failure of a renderer's arguments.
pub enum Failure {
    /// A rule of the core (its message and kind); a batch adds the index.
    Core(Error),
    /// A Python type the argument never accepts (the message has no location yet).
    Type(String),
    /// An InvalidTrait or InvalidOption only Python can see (a lone surrogate, a non-str
    /// name), worded like the core's "invalid FIELD: PROBLEM".
    Invalid(ErrorKind, String),
    /// Raised by Python code we called (a tzinfo's `utcoffset`), or by a conversion
    /// that already names its location: passed on as it is.
    Python(PyErr),
}

/// What a str holding a lone surrogate is told (the str itself is never echoed).
pub const LONE_SURROGATE: &str = "this str contains a lone surrogate (such as '\\ud800'), which has no UTF-8 encoding";

impl Failure {
    /// The exception for this failure; `at` is the item's index in a batch.
    pub fn into_py(self, at: Option<usize>) -> PyErr {
        match (self, at) {
            (Failure::Core(error), Some(index)) => to_py(error.at_index(index)),
            (Failure::Core(error), None) => to_py(error),
            (Failure::Type(message), Some(index)) => PyTypeError::new_err(format!("identities[{index}]: {message}")),
            (Failure::Type(message), None) => PyTypeError::new_err(message),
            (Failure::Invalid(kind, message), at) => {
                // The same "at index N: " prefix as the core's batch errors.
                let message = match at {
                    Some(index) => format!("at index {index}: {message}"),
                    None => message,
                };
                match kind {
                    ErrorKind::InvalidOption => InvalidOptionError::new_err(message),
                    _ => InvalidTraitError::new_err(message),
                }
            }
            (Failure::Python(error), _) => error,
        }
    }
}

/// A failure of a single call (no batch index).
impl From<Failure> for PyErr {
    fn from(failure: Failure) -> Self {
        failure.into_py(None)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Core(error)
    }
}

impl From<PyErr> for Failure {
    fn from(error: PyErr) -> Self {
        Failure::Python(error)
    }
}

/// The name of a value's type, for messages (read from the type, not the value).
pub fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|name| name.to_string()).unwrap_or_else(|_| "an unknown type".into())
}
