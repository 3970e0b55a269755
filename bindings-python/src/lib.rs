//! The native module behind the `refiner_identity` Python package: argument
//! conversion, one core call, error mapping. Every rule lives in the core.

mod arrow;
mod convert;
mod dates;
mod error;
mod failure;
mod identity;
mod integer;
mod link_batch;
mod options;
mod render;
mod sign_many;
mod signer;

use pyo3::prelude::*;
use pyo3::types::PyString;

use convert::{hold_secret, hold_signature, hold_user_id};
use error::to_py;

/// The signature of ``user_id`` under ``secret``: lowercase hex HMAC-SHA256,
/// identical to Refiner's documented snippets. For many ids, a :class:`Signer` is faster.
#[pyfunction]
fn sign<'py>(
    py: Python<'py>,
    secret: &Bound<'py, PyAny>,
    user_id: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyString>> {
    let secret = hold_secret(secret, "secret")?;
    let held = hold_user_id(user_id, &|| "user_id".into())?;
    let signature = refiner_identity::sign(&*secret, held.as_user_id()).map_err(to_py)?;
    Ok(PyString::new(py, signature.as_str()))
}

/// True iff ``signature`` (str or bytes, either case) is the signature of
/// ``user_id`` under ``secret``; constant-time. Malformed signatures are False.
#[pyfunction]
fn verify(secret: &Bound<'_, PyAny>, user_id: &Bound<'_, PyAny>, signature: &Bound<'_, PyAny>) -> PyResult<bool> {
    let secret = hold_secret(secret, "secret")?;
    let held = hold_user_id(user_id, &|| "user_id".into())?;
    let signature = hold_signature(signature)?;
    refiner_identity::verify(&*secret, held.as_user_id(), &signature).map_err(to_py)
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add("DEFAULT_SECRET_ENV", refiner_identity::DEFAULT_SECRET_ENV)?;
    module.add_function(wrap_pyfunction!(sign, module)?)?;
    module.add_function(wrap_pyfunction!(verify, module)?)?;
    module.add_class::<signer::Signer>()?;
    module.add_class::<arrow::ArrowStringArray>()?;
    render::capture_at_load(py)?;
    module.add("RefinerIdentityError", py.get_type::<error::RefinerIdentityError>())?;
    module.add("InvalidSecretError", py.get_type::<error::InvalidSecretError>())?;
    module.add("InvalidUserIdError", py.get_type::<error::InvalidUserIdError>())?;
    module.add("InvalidTraitError", py.get_type::<error::InvalidTraitError>())?;
    module.add("InvalidOptionError", py.get_type::<error::InvalidOptionError>())?;
    Ok(())
}
