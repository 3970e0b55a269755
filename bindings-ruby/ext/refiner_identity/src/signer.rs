//! `RefinerIdentity::Signer`: a thin wrapper over the core's `Signer`. The
//! keyword arguments and `inspect` live in lib/refiner_identity/signer.rb.

use magnus::{function, method, prelude::*, Error, RArray, RModule, RString, Ruby, Value};

use crate::batch::read_batch;
use crate::convert::{class_name, secret_bytes, signature_bytes, with_user_id};
use crate::error::{to_ruby, type_error};
use crate::pipeline::sign_into;

/// Immutable after construction, so sharing between Ruby threads is safe.
#[magnus::wrap(class = "RefinerIdentity::Signer", free_immediately, size)]
pub struct Signer {
    pub(crate) inner: refiner_identity::Signer,
}

impl Signer {
    fn build(ruby: &Ruby, secret: Value, previous: Value) -> Result<Self, Error> {
        let Some(previous) = RArray::from_value(previous) else {
            let message = format!("previous must be an Array of Strings, not {}", class_name(previous));
            return Err(type_error(ruby, message));
        };
        let secret = secret_bytes(ruby, secret, "secret")?;
        let previous = (0..previous.len())
            .map(|index| secret_bytes(ruby, previous.entry(index as isize)?, &format!("previous[{index}]")))
            .collect::<Result<Vec<_>, Error>>()?;
        let inner = refiner_identity::Signer::with_previous(&secret, &previous).map_err(|e| to_ruby(ruby, e))?;
        Ok(Signer { inner })
    }

    fn from_env(ruby: &Ruby, name: Value) -> Result<Self, Error> {
        let Some(name) = RString::from_value(name) else {
            return Err(type_error(ruby, format!("name must be a String, not {}", class_name(name))));
        };
        // SAFETY: the bytes are copied before any other Ruby call.
        let Ok(name) = String::from_utf8(unsafe { name.as_slice() }.to_vec()) else {
            let message = "the environment variable name must be valid UTF-8";
            return Err(Error::new(ruby.exception_arg_error(), message));
        };
        let inner = refiner_identity::Signer::from_env(&name).map_err(|e| to_ruby(ruby, e))?;
        Ok(Signer { inner })
    }

    fn sign(ruby: &Ruby, rb_self: &Self, user_id: Value) -> Result<RString, Error> {
        let signature = with_user_id(ruby, user_id, &|| "user_id".into(), |id| rb_self.inner.sign(id))?;
        Ok(ruby.str_from_slice(signature.map_err(|e| to_ruby(ruby, e))?.as_bytes()))
    }

    fn verify(ruby: &Ruby, rb_self: &Self, user_id: Value, signature: Value) -> Result<bool, Error> {
        let signature = signature_bytes(ruby, signature)?;
        let matched = with_user_id(ruby, user_id, &|| "user_id".into(), |id| rb_self.inner.verify(id, &signature))?;
        matched.map_err(|e| to_ruby(ruby, e))
    }

    fn sign_many(ruby: &Ruby, rb_self: &Self, user_ids: Value) -> Result<RArray, Error> {
        let Some(array) = RArray::from_value(user_ids) else {
            return Err(type_error(ruby, format!("user_ids must be an Array, not {}", class_name(user_ids))));
        };
        let batch = read_batch(ruby, array)?;
        let result = ruby.ary_new_capa(batch.len());
        sign_into(ruby, &rb_self.inner, &batch, result)?;
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
