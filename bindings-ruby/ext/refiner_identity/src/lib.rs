//! The native extension behind the `refiner_identity` gem: argument conversion,
//! one core call, error mapping. Every rule lives in the core.

mod convert;
mod error;
mod nogvl;
mod signer;

use magnus::{function, Error, RString, Ruby, Value};

use convert::{secret_bytes, signature_bytes, HeldUserId};

fn sign(ruby: &Ruby, secret: Value, user_id: Value) -> Result<RString, Error> {
    let secret = secret_bytes(ruby, secret, "secret")?;
    let user_id = HeldUserId::read(ruby, user_id, &|| "user_id".into())?;
    let signature = refiner_identity::sign(&secret, user_id.as_user_id()).map_err(|e| error::to_ruby(ruby, e))?;
    Ok(ruby.str_from_slice(signature.as_bytes()))
}

fn verify(ruby: &Ruby, secret: Value, user_id: Value, signature: Value) -> Result<bool, Error> {
    let secret = secret_bytes(ruby, secret, "secret")?;
    let user_id = HeldUserId::read(ruby, user_id, &|| "user_id".into())?;
    let signature = signature_bytes(ruby, signature)?;
    refiner_identity::verify(&secret, user_id.as_user_id(), &signature).map_err(|e| error::to_ruby(ruby, e))
}

#[magnus::init(name = "refiner_identity")]
fn init(ruby: &Ruby) -> Result<(), Error> {
    let module = ruby.define_module("RefinerIdentity")?;
    // Looked up now, so a missing class fails `require`, not a later call.
    error::force_classes(ruby)?;
    module.define_module_function("sign", function!(sign, 2))?;
    module.define_module_function("verify", function!(verify, 3))?;
    signer::define(ruby, module)?;
    Ok(())
}
