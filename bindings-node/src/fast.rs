//! Raw N-API entry points for the two hottest calls, `sign(secret, userId)` and
//! `Signer.prototype.sign(userId)`: napi-rs's generated glue costs several
//! times the signing itself. The `#[napi]` declarations remain the source of
//! index.d.ts; at load, `install` puts these in their place. Both share the
//! conversion, core call and error mapping with the `#[napi]` versions.

use std::panic::{catch_unwind, AssertUnwindSafe};

use napi::bindgen_prelude::{JsObjectValue, JsValue, Object, TypeTag, Unknown};
use napi::{sys, Env};

use crate::error::Failure;
use crate::signer::Signer;
use crate::tagged_signers;

/// Replaces `exports.sign` and `Signer.prototype.sign` with the raw versions.
pub fn install(env: &Env, mut exports: Object, mut prototype: Object) -> napi::Result<()> {
    exports.set_named_property("sign", raw_function(env, "sign", Some(raw_sign))?)?;
    prototype.set_named_property("sign", raw_function(env, "sign", Some(raw_signer_sign))?)
}

/// A JavaScript function named `name` that calls `callback`.
pub(crate) fn raw_function<'env>(
    env: &'env Env,
    name: &'static str,
    callback: sys::napi_callback,
) -> napi::Result<Unknown<'env>> {
    let mut function = std::ptr::null_mut();
    // SAFETY: `name` is valid UTF-8 that outlives the call (its length is
    // passed, so no NUL is needed; the `as` cast is exact for a short literal);
    // the callback has the napi callback signature.
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
///
/// # Safety
/// `env` and `info` must be those of the callback being run.
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
///
/// # Safety
/// `env` must be the env of the callback being run.
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

/// `sign(secret, userId)`.
///
/// # Safety
/// Only N-API calls it, as the callback of the function `install` made.
unsafe extern "C" fn raw_sign(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: called by N-API with this callback's env and info; the argument
    // values napi returns are live handles of `env` for the whole call.
    unsafe {
        respond(env, |_| {
            let ([secret, user_id], _) = arguments::<2>(env, info).ok_or_else(napi_failure)?;
            crate::sign_values(&Unknown::from_raw_unchecked(env, secret), Unknown::from_raw_unchecked(env, user_id))
        })
    }
}

/// `Signer.prototype.sign(userId)`.
///
/// # Safety
/// Only N-API calls it, as the callback of the function `install` made.
unsafe extern "C" fn raw_signer_sign(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: called by N-API with this callback's env and info; `this` and the
    // argument are live handles of `env`, and the `&Signer` is used only inside
    // this call.
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
///
/// # Safety
/// `this` must be a live value of `env`, and the reference must not outlive
/// the callback that received `this`.
pub(crate) unsafe fn receiver<'a>(env: sys::napi_env, this: sys::napi_value) -> Option<&'a Signer> {
    // SAFETY: `this` is a live value of `env` (this function's contract).
    let wrapped = unsafe { receiver_pointer(env, this) }?;
    // SAFETY: napi-rs stores `Box::into_raw(Box<Signer>)` as the wrapped pointer
    // of each instance it tags as a `Signer`; layout.rs proved at load, for the
    // pinned napi-rs, that this pointer is the `&Signer` napi-rs's own glue
    // hands to methods. The instance (`this`, held by the caller's stack for the
    // whole call) keeps the box alive: napi-rs frees it only in the instance's
    // finalizer. `Signer` has no interior mutability, so a shared reference
    // cannot alias a write.
    Some(unsafe { &*wrapped })
}

/// The wrapped pointer of a type-tagged `Signer` instance, not dereferenced
/// (layout.rs compares it with napi-rs's own `&self`). The tag is checked the
/// first time an instance is seen on this thread (tagged_signers.rs).
///
/// # Safety
/// `this` must be a live value of `env`.
pub(crate) unsafe fn receiver_pointer(env: sys::napi_env, this: sys::napi_value) -> Option<*const Signer> {
    let mut wrapped = std::ptr::null_mut();
    // SAFETY: `this` is a value of `env` (the caller's contract); the out
    // pointer is a local. A non-object or an unwrapped object fails with a status.
    if unsafe { sys::napi_unwrap(env, this, &mut wrapped) } != sys::Status::napi_ok || wrapped.is_null() {
        return None;
    }
    // A pointer is remembered only after its instance passed the tag check, and
    // forgotten when that `Signer` is dropped (tagged_signers.rs): while listed,
    // it is a live `Signer` (another addon's wrapped object cannot hold the
    // address of one of ours while ours is alive).
    if !tagged_signers::contains(wrapped as usize) {
        let tag = <Signer as TypeTag>::type_tag();
        let mut tagged = false;
        // SAFETY: as above; `tag` and `tagged` are locals.
        if unsafe { sys::napi_check_object_type_tag(env, this, &tag, &mut tagged) } != sys::Status::napi_ok || !tagged {
            return None;
        }
        // SAFETY: the tag says napi-rs wrapped a `Signer` box at `wrapped`
        // (layout.rs), alive while `this` is; only its core's address is read.
        let core = unsafe { &*wrapped.cast::<Signer>() }.core_address();
        tagged_signers::remember(wrapped as usize, core);
    }
    // Only a change of pointer type here; whether it may be read is receiver's question.
    Some(wrapped.cast::<Signer>().cast_const())
}

fn napi_failure() -> Failure {
    Failure::Napi(napi::Error::from_reason("reading the call's arguments failed"))
}
