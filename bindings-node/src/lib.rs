//! The native addon behind the `refiner-identity` npm package: argument
//! conversion, one core call, error mapping. Every rule lives in the core.
#![deny(clippy::all)]

mod batch;
mod bytes;
mod error;
mod fast;
mod held_bytes;
mod joined;
mod js_helpers;
mod layout;
mod result_strings;
mod scope;
mod signer;
mod tagged_signers;
mod text;
mod user_id;

// The channel renderers (SPEC.md section 9).
mod identity;
mod identity_reader;
mod intrinsics;
mod raw_js;
mod render;
mod render_fast;
mod survey_links;
mod types;

use napi::bindgen_prelude::Unknown;
use napi::{Env, JsString};
use napi_derive::napi;

use error::throwing;
use held_bytes::hold_bytes;
use user_id::HeldUserId;

/// The Refiner Identity Verification signature of `userId` under `secret`:
/// 64 lowercase hex characters, identical to
/// `crypto.createHmac('sha256', secret).update(userId).digest('hex')`.
///
/// For many ids, a `Signer` is faster. Throws `TypeError`
/// (`code: 'ERR_INVALID_ARG_TYPE'`) for unsupported types, and an `Error` with
/// `code: 'ERR_REFINER_INVALID_SECRET'` or `'ERR_REFINER_INVALID_USER_ID'` for
/// an unusable secret or user id.
#[napi(ts_args_type = "secret: string | Uint8Array, userId: UserId")]
pub fn sign<'env>(env: &'env Env, secret: Unknown, user_id: Unknown) -> napi::Result<JsString<'env>> {
    let signature = throwing(env, || sign_values(&secret, user_id))?;
    js_signature(env, &signature)
}

/// The body of `sign`, shared with its raw N-API entry point (fast.rs).
pub(crate) fn sign_values(secret: &Unknown, user_id: Unknown) -> Result<refiner_identity::Signature, error::Failure> {
    let secret = hold_bytes(secret, "secret")?;
    let user_id = HeldUserId::read(user_id, &|| "userId".into())?;
    Ok(refiner_identity::sign(&secret, user_id.as_user_id())?)
}

/// A signature as a JS string: latin1 (its 64 bytes are ASCII) skips UTF-8 decoding.
pub(crate) fn js_signature<'env>(
    env: &'env Env,
    signature: &refiner_identity::Signature,
) -> napi::Result<JsString<'env>> {
    env.create_string_latin1(signature.as_bytes())
}

/// True iff `signature` (64 hex digits, either case) is the signature of
/// `userId` under `secret`; constant-time. A malformed signature is `false`.
#[napi(ts_args_type = "secret: string | Uint8Array, userId: UserId, signature: string | Uint8Array")]
pub fn verify(env: Env, secret: Unknown, user_id: Unknown, signature: Unknown) -> napi::Result<bool> {
    throwing(&env, || {
        let secret = hold_bytes(&secret, "secret")?;
        let user_id = HeldUserId::read(user_id, &|| "userId".into())?;
        let signature = hold_bytes(&signature, "signature")?;
        Ok(refiner_identity::verify(&secret, user_id.as_user_id(), signature.as_ref())?)
    })
}

/// A user id: a string (UTF-8, as `crypto` encodes it), a Uint8Array or Buffer
/// (its bytes), a safe-integer number or a bigint (their decimal digits).
#[napi]
pub type UserId =
    napi::bindgen_prelude::Either4<String, napi::bindgen_prelude::Uint8Array, f64, napi::bindgen_prelude::BigInt>;

/// Gives `Signer` a `util.inspect` form (napi classes cannot name a method by
/// a symbol), checks what the fast sign path assumes (layout.rs), then installs it.
#[napi(module_exports)]
pub fn init(mut exports: napi::bindgen_prelude::Object, env: Env) -> napi::Result<()> {
    use napi::bindgen_prelude::{JsObjectValue, Object};
    let class: Object = exports.get_named_property_unchecked("Signer")?;
    let mut prototype: Object = class.get_named_property_unchecked("prototype")?;
    let symbol: Unknown = env.run_script("Symbol.for('nodejs.util.inspect.custom')")?;
    let inspect: Unknown = env.run_script("(function inspect() { return this.toString(); })")?;
    prototype.set_property(symbol, inspect)?;
    js_helpers::install(&env)?;
    intrinsics::install(&env)?;
    layout::verify(&env, &class, &mut prototype)?;
    render_fast::install(&env, &mut prototype)?;
    tagged_signers::install_test_hook(&env, &mut exports)?;
    fast::install(&env, exports, prototype)
}
