//! Raw N-API entry points for the two hottest calls, `sign(secret, userId)` and
//! `Signer.prototype.sign(userId)`. napi-rs's generated glue measured about
//! 500 ns per call on these machines (no-op functions), several times the
//! signing itself. The `#[napi]` declarations remain the source of index.d.ts
//! and the fallback; at load, `install` puts these in their place. Both share
//! the conversion, core call and error mapping with the `#[napi]` versions.

use std::panic::{catch_unwind, AssertUnwindSafe};

use napi::bindgen_prelude::{JsObjectValue, JsValue, Object, TypeTag, Unknown};
use napi::{sys, Env};

use crate::error::Failure;
use crate::signer::Signer;

/// Replaces `exports.sign` and `Signer.prototype.sign` with the raw versions.
pub fn install(env: &Env, mut exports: Object, mut prototype: Object) -> napi::Result<()> {
    exports.set_named_property("sign", raw_function(env, "sign", Some(raw_sign))?)?;
    prototype.set_named_property("sign", raw_function(env, "sign", Some(raw_signer_sign))?)
}

fn raw_function<'env>(env: &'env Env, name: &str, callback: sys::napi_callback) -> napi::Result<Unknown<'env>> {
    let mut function = std::ptr::null_mut();
    // SAFETY: `name` outlives the call; the callback has the napi signature.
    let status = unsafe {
        sys::napi_create_function(
            env.raw(),
            name.as_ptr().cast(),
            name.len() as isize,
            callback,
            std::ptr::null_mut(),
            &mut function,
        )
    };
    crate::js_helpers::check(status)?;
    // SAFETY: a fresh function value of this env.
    Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), function) })
}

/// Arguments and receiver of a call, with missing arguments as `undefined`.
unsafe fn arguments<const N: usize>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> Option<([sys::napi_value; N], sys::napi_value)> {
    let mut count = N;
    let mut values = [std::ptr::null_mut(); N];
    let mut this = std::ptr::null_mut();
    // SAFETY: `values` has room for `count` values; napi fills missing ones with undefined.
    let status =
        unsafe { sys::napi_get_cb_info(env, info, &mut count, values.as_mut_ptr(), &mut this, std::ptr::null_mut()) };
    (status == sys::Status::napi_ok).then_some((values, this))
}

/// Runs the body, turning a failure into a thrown exception and a panic into an
/// Error (never unwinding into JavaScript).
unsafe fn respond(
    env: sys::napi_env,
    body: impl FnOnce(&Env) -> Result<refiner_identity::Signature, Failure>,
) -> sys::napi_value {
    let wrapped = Env::from_raw(env);
    match catch_unwind(AssertUnwindSafe(|| body(&wrapped))) {
        Ok(Ok(signature)) => match wrapped.create_string_latin1(signature.as_bytes()) {
            Ok(text) => text.raw(),
            Err(error) => {
                Failure::Napi(error).throw(&wrapped);
                std::ptr::null_mut()
            }
        },
        Ok(Err(failure)) => {
            failure.throw(&wrapped);
            std::ptr::null_mut()
        }
        Err(_) => {
            let _ = wrapped.throw_error("refiner-identity: internal error (a bug)", None);
            std::ptr::null_mut()
        }
    }
}

unsafe extern "C" fn raw_sign(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: called by N-API with this callback's env and info.
    unsafe {
        respond(env, |_| {
            let ([secret, user_id], _) = arguments::<2>(env, info).ok_or_else(napi_failure)?;
            crate::sign_values(&Unknown::from_raw_unchecked(env, secret), Unknown::from_raw_unchecked(env, user_id))
        })
    }
}

unsafe extern "C" fn raw_signer_sign(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: called by N-API with this callback's env and info.
    unsafe {
        respond(env, |_| {
            let ([user_id], this) = arguments::<1>(env, info).ok_or_else(napi_failure)?;
            let signer = receiver(env, this).ok_or_else(|| {
                Failure::WrongType("Signer.prototype.sign called on something that is not a Signer".into())
            })?;
            signer.sign_value(Unknown::from_raw_unchecked(env, user_id))
        })
    }
}

/// The `Signer` behind `this`: only an object napi-rs created and type-tagged
/// as our `Signer` is unwrapped, so a foreign or spoofed receiver is refused.
unsafe fn receiver<'a>(env: sys::napi_env, this: sys::napi_value) -> Option<&'a Signer> {
    let tag = <Signer as TypeTag>::type_tag();
    let mut tagged = false;
    let mut wrapped = std::ptr::null_mut();
    // SAFETY: `this` is a value of `env`; napi-rs wraps a `Box<Signer>` in every
    // instance it tags with this tag, and the instance keeps it alive during the call.
    unsafe {
        if sys::napi_check_object_type_tag(env, this, &tag, &mut tagged) != sys::Status::napi_ok || !tagged {
            return None;
        }
        if sys::napi_unwrap(env, this, &mut wrapped) != sys::Status::napi_ok || wrapped.is_null() {
            return None;
        }
        Some(&*wrapped.cast::<Signer>())
    }
}

fn napi_failure() -> Failure {
    Failure::Napi(napi::Error::from_reason("reading the call's arguments failed"))
}
