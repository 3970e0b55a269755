//! Failures as JavaScript errors: wrong types are `TypeError`s with
//! `code: 'ERR_INVALID_ARG_TYPE'` (Node's own convention), core errors are
//! `Error`s with the codes of SPEC.md. Messages never contain the secret.

use napi::{Env, Error, Status};
use refiner_identity::ErrorKind;

pub const CODE_INVALID_ARG_TYPE: &str = "ERR_INVALID_ARG_TYPE";
pub const CODE_INVALID_ARG_VALUE: &str = "ERR_INVALID_ARG_VALUE";
pub const CODE_INVALID_SECRET: &str = "ERR_REFINER_INVALID_SECRET";
pub const CODE_INVALID_USER_ID: &str = "ERR_REFINER_INVALID_USER_ID";
pub const CODE_INVALID_TRAIT: &str = "ERR_REFINER_INVALID_TRAIT";
pub const CODE_INVALID_OPTION: &str = "ERR_REFINER_INVALID_OPTION";

/// Why a call failed, before it becomes a JavaScript exception.
#[derive(Debug)]
pub enum Failure {
    WrongType(String),
    /// The right type with an unusable value (Node's `ERR_INVALID_ARG_VALUE`, a `TypeError`).
    InvalidValue(String),
    Core(refiner_identity::Error),
    /// napi itself failed (a JS exception may already be pending).
    Napi(Error),
}

impl From<refiner_identity::Error> for Failure {
    fn from(error: refiner_identity::Error) -> Self {
        Failure::Core(error)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Napi(error)
    }
}

impl Failure {
    /// Throws this failure into `env` and returns the marker napi-rs expects for
    /// "an exception is already pending".
    pub fn throw(self, env: &Env) -> Error {
        let thrown = match self {
            Failure::WrongType(message) => env.throw_type_error(&printable(message), Some(CODE_INVALID_ARG_TYPE)),
            Failure::InvalidValue(message) => env.throw_type_error(&printable(message), Some(CODE_INVALID_ARG_VALUE)),
            Failure::Core(error) => env.throw_error(&printable(error.to_string()), Some(core_code(error.kind()))),
            Failure::Napi(error) => {
                // A JavaScript exception (from a getter, say) stays the one thrown.
                let mut pending = false;
                // SAFETY: a plain query on this call's env.
                let queried = unsafe { napi::sys::napi_is_exception_pending(env.raw(), &mut pending) };
                if error.status == Status::PendingException || queried != napi::sys::Status::napi_ok || pending {
                    return error;
                }
                // Raw entry points return null after this: something must be thrown.
                env.throw_error(&printable(error.reason.clone()), Some(error.status.as_ref()))
            }
        };
        match thrown {
            Ok(()) => Error::new(Status::PendingException, String::new()),
            Err(error) => error,
        }
    }
}

/// A rejection value for a promise: the same coded `Error` a sync call throws.
pub fn rejection(env: &Env, error: refiner_identity::Error) -> Error {
    let build = || -> napi::Result<Error> {
        use napi::bindgen_prelude::{JsObjectValue, JsValue};
        let mut js_error = env.create_error(Error::from_reason(printable(error.to_string())))?;
        js_error.set_named_property("code", core_code(error.kind()))?;
        Ok(Error::from(js_error.to_unknown()))
    };
    build().unwrap_or_else(|failure| failure)
}

/// napi takes messages as C strings: a NUL (from a user's text quoted in a
/// message) would make the throw itself fail, so it is shown escaped.
fn printable(message: String) -> String {
    if message.contains('\0') {
        message.replace('\0', "\\0")
    } else {
        message
    }
}

fn core_code(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidSecret => CODE_INVALID_SECRET,
        ErrorKind::InvalidUserId => CODE_INVALID_USER_ID,
        ErrorKind::InvalidTrait => CODE_INVALID_TRAIT,
        ErrorKind::InvalidOption => CODE_INVALID_OPTION,
    }
}

/// Runs `body`, turning a `Failure` into a thrown JavaScript exception.
pub fn throwing<T>(env: &Env, body: impl FnOnce() -> Result<T, Failure>) -> napi::Result<T> {
    body().map_err(|failure| failure.throw(env))
}
