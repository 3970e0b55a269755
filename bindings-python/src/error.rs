//! Core errors as Python exceptions. The classes are created here with
//! `module = refiner_identity` and re-exported by the package.

use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::PyErr;
use refiner_identity::{Error, ErrorKind};

create_exception!(
    refiner_identity,
    RefinerIdentityError,
    PyValueError,
    "Base class of refiner_identity's errors; a ValueError, so `except ValueError` catches it."
);
create_exception!(
    refiner_identity,
    InvalidSecretError,
    RefinerIdentityError,
    "The secret key is unusable (empty, padded with whitespace, or missing from the environment)."
);
create_exception!(
    refiner_identity,
    InvalidUserIdError,
    RefinerIdentityError,
    "The user id is unusable (empty, or a str that cannot be UTF-8)."
);

create_exception!(
    refiner_identity,
    InvalidTraitError,
    RefinerIdentityError,
    "A field of the identity to render (email, name, a trait or a response value) is unusable."
);
create_exception!(
    refiner_identity,
    InvalidOptionError,
    RefinerIdentityError,
    "A renderer option (survey URL, CSP nonce, tags) is unusable."
);

/// The one mapping from core errors to exceptions. Messages come from the core
/// and never contain the secret.
pub fn to_py(error: Error) -> PyErr {
    match error.kind() {
        ErrorKind::InvalidSecret => InvalidSecretError::new_err(error.to_string()),
        ErrorKind::InvalidUserId => InvalidUserIdError::new_err(error.to_string()),
        ErrorKind::InvalidTrait => InvalidTraitError::new_err(error.to_string()),
        ErrorKind::InvalidOption => InvalidOptionError::new_err(error.to_string()),
    }
}

pub fn type_error(message: String) -> PyErr {
    PyTypeError::new_err(message)
}
