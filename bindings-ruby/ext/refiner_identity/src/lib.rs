//! The native extension behind the `refiner_identity` gem: argument conversion,
//! one core call, error mapping. Every rule lives in the core.

mod batch;
mod convert;
mod error;
mod identity;
mod integer;
mod links;
mod moment;
mod nogvl;
mod pipeline;
mod render;
mod signer;
mod text;

use magnus::{function, prelude::*, Error, RString, Ruby, Value};

use convert::{secret_bytes, signature_bytes, with_user_id};

fn sign(ruby: &Ruby, secret: Value, user_id: Value) -> Result<RString, Error> {
    let secret = secret_bytes(ruby, secret, "secret")?;
    let signature = with_user_id(ruby, user_id, &|| "user_id".into(), |id| refiner_identity::sign(&secret, id))?;
    Ok(ruby.str_from_slice(signature.map_err(|e| error::to_ruby(ruby, e))?.as_bytes()))
}

fn verify(ruby: &Ruby, secret: Value, user_id: Value, signature: Value) -> Result<bool, Error> {
    let secret = secret_bytes(ruby, secret, "secret")?;
    let signature = signature_bytes(ruby, signature)?;
    let matched =
        with_user_id(ruby, user_id, &|| "user_id".into(), |id| refiner_identity::verify(&secret, id, &signature))?;
    matched.map_err(|e| error::to_ruby(ruby, e))
}

#[magnus::init(name = "refiner_identity")]
fn init(ruby: &Ruby) -> Result<(), Error> {
    let module = ruby.define_module("RefinerIdentity")?;
    // Looked up now, so a missing class fails `require`, not a later call.
    error::force_classes(ruby)?;
    // From the core, so every binding reads the same variable by default.
    let default_env = ruby.str_new(refiner_identity::DEFAULT_SECRET_ENV);
    default_env.freeze();
    module.const_set("DEFAULT_SECRET_ENV", default_env)?;
    module.define_module_function("sign", function!(sign, 2))?;
    module.define_module_function("verify", function!(verify, 3))?;
    signer::define(ruby, module)?;
    render::define(ruby, module)?;
    Ok(())
}
