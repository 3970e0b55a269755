//! Core errors as the Ruby exceptions defined once in lib/refiner_identity/errors.rb.

use magnus::value::Lazy;
use magnus::{prelude::*, Error, ExceptionClass, RModule, Ruby};
use refiner_identity::ErrorKind;

static INVALID_SECRET: Lazy<ExceptionClass> = Lazy::new(|ruby| lookup(ruby, "InvalidSecretError"));
static INVALID_USER_ID: Lazy<ExceptionClass> = Lazy::new(|ruby| lookup(ruby, "InvalidUserIdError"));
static INVALID_TRAIT: Lazy<ExceptionClass> = Lazy::new(|ruby| lookup(ruby, "InvalidTraitError"));
static INVALID_OPTION: Lazy<ExceptionClass> = Lazy::new(|ruby| lookup(ruby, "InvalidOptionError"));

fn lookup(ruby: &Ruby, name: &str) -> ExceptionClass {
    let found = ruby
        .class_object()
        .const_get::<_, RModule>("RefinerIdentity")
        .and_then(|module| module.const_get::<_, ExceptionClass>(name));
    // `force_classes` checks both lookups at load time, so this fallback is never
    // reached once the extension is loaded.
    found.unwrap_or_else(|_| ruby.exception_standard_error())
}

/// Checks at `require` time that lib/ defined the exception classes.
pub fn force_classes(ruby: &Ruby) -> Result<(), Error> {
    let module = ruby.class_object().const_get::<_, RModule>("RefinerIdentity")?;
    for name in ["Error", "InvalidSecretError", "InvalidUserIdError", "InvalidTraitError", "InvalidOptionError"] {
        module.const_get::<_, ExceptionClass>(name).map_err(|_| {
            Error::new(
                ruby.exception_load_error(),
                format!("RefinerIdentity::{name} is not defined: require 'refiner_identity', not the extension alone"),
            )
        })?;
    }
    Lazy::force(&INVALID_SECRET, ruby);
    Lazy::force(&INVALID_USER_ID, ruby);
    Lazy::force(&INVALID_TRAIT, ruby);
    Lazy::force(&INVALID_OPTION, ruby);
    Ok(())
}

/// The one mapping from core errors to exceptions; messages never contain the secret.
pub fn to_ruby(ruby: &Ruby, error: refiner_identity::Error) -> Error {
    let class = match error.kind() {
        ErrorKind::InvalidSecret => ruby.get_inner(&INVALID_SECRET),
        ErrorKind::InvalidUserId => ruby.get_inner(&INVALID_USER_ID),
        ErrorKind::InvalidTrait => ruby.get_inner(&INVALID_TRAIT),
        ErrorKind::InvalidOption => ruby.get_inner(&INVALID_OPTION),
    };
    Error::new(class, error.to_string())
}

/// An InvalidUserIdError for a rule of this binding (the core has no error for it).
pub fn invalid_user_id(ruby: &Ruby, message: String) -> Error {
    Error::new(ruby.get_inner(&INVALID_USER_ID), message)
}

pub fn type_error(ruby: &Ruby, message: String) -> Error {
    Error::new(ruby.exception_type_error(), message)
}
