//! `RefinerIdentity::Signer`: a thin wrapper over the core's `Signer`. The
//! keyword arguments and `inspect` live in lib/refiner_identity/signer.rb.

use magnus::{function, method, prelude::*, Error, RArray, RModule, RString, Ruby, Value};
use refiner_identity::DEFAULT_SECRET_ENV;

use crate::convert::{read_batch, secret_bytes, signature_bytes, HeldUserId};
use crate::error::{to_ruby, type_error};
use crate::nogvl::nogvl;

/// Immutable after construction, so sharing between Ruby threads is safe.
#[magnus::wrap(class = "RefinerIdentity::Signer", free_immediately, size)]
pub struct Signer {
    inner: refiner_identity::Signer,
}

impl Signer {
    fn build(ruby: &Ruby, secret: Value, previous: RArray) -> Result<Self, Error> {
        let secret = secret_bytes(ruby, secret, "secret")?;
        let previous = previous
            .into_iter()
            .enumerate()
            .map(|(index, old)| secret_bytes(ruby, old, &format!("previous[{index}]")))
            .collect::<Result<Vec<_>, Error>>()?;
        let inner = refiner_identity::Signer::with_previous(&secret, &previous).map_err(|e| to_ruby(ruby, e))?;
        Ok(Signer { inner })
    }

    fn from_env(ruby: &Ruby, name: Option<String>) -> Result<Self, Error> {
        let name = name.unwrap_or_else(|| DEFAULT_SECRET_ENV.to_owned());
        let inner = refiner_identity::Signer::from_env(&name).map_err(|e| to_ruby(ruby, e))?;
        Ok(Signer { inner })
    }

    fn sign(ruby: &Ruby, rb_self: &Self, user_id: Value) -> Result<RString, Error> {
        let user_id = HeldUserId::read(ruby, user_id, &|| "user_id".into())?;
        let signature = rb_self.inner.sign(user_id.as_user_id()).map_err(|e| to_ruby(ruby, e))?;
        Ok(ruby.str_from_slice(signature.as_bytes()))
    }

    fn verify(ruby: &Ruby, rb_self: &Self, user_id: Value, signature: Value) -> Result<bool, Error> {
        let user_id = HeldUserId::read(ruby, user_id, &|| "user_id".into())?;
        let signature = signature_bytes(ruby, signature)?;
        rb_self.inner.verify(user_id.as_user_id(), &signature).map_err(|e| to_ruby(ruby, e))
    }

    fn sign_many(ruby: &Ruby, rb_self: &Self, user_ids: Value) -> Result<RArray, Error> {
        let Some(array) = RArray::from_value(user_ids) else {
            return Err(type_error(ruby, "user_ids must be an Array".into()));
        };
        let batch = read_batch(ruby, array)?;
        let signer = &rb_self.inner;
        let signed = nogvl(|| signer.sign_batch(&batch))
            .ok_or_else(|| Error::new(ruby.exception_runtime_error(), "refiner_identity: signing panicked (a bug)"))?;
        let signatures = signed.map_err(|e| to_ruby(ruby, e))?;
        let result = ruby.ary_new_capa(signatures.len());
        for signature in &signatures {
            result.push(ruby.str_from_slice(signature.as_bytes()))?;
        }
        Ok(result)
    }

    fn previous_count(&self) -> usize {
        self.inner.previous_count()
    }
}

pub fn define(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let class = module.define_class("Signer", ruby.class_object())?;
    class.define_singleton_method("_build", function!(Signer::build, 2))?;
    class.define_singleton_method("_from_env", function!(Signer::from_env, 1))?;
    class.define_method("sign", method!(Signer::sign, 1))?;
    class.define_method("verify", method!(Signer::verify, 2))?;
    class.define_method("sign_many", method!(Signer::sign_many, 1))?;
    class.define_method("previous_count", method!(Signer::previous_count, 0))?;
    Ok(())
}
