//! The renderers of SPEC.md section 9 on `RefinerIdentity::Signer`: read the
//! Ruby values once, call the core, return its text. The keyword arguments and
//! the JSON parsing of payloads live in lib/refiner_identity/channels.rb.

use std::ops::Range;

use magnus::{method, prelude::*, Error, RClass, RModule, RString, Ruby, Value};
use refiner_identity::{Field, OptionProblem};

use crate::error::to_ruby;
use crate::identity::{HeldIdentity, IdentityValues, ReadError};
use crate::signer::Signer;
use crate::text::push_text;

/// An identity read into its own text buffer, ready for one core call.
struct Single {
    texts: String,
    identity: HeldIdentity,
}

impl Single {
    fn read(ruby: &Ruby, id: Value, email: Value, name: Value, traits: Value) -> Result<Self, Error> {
        let mut texts = String::with_capacity(256);
        let values = IdentityValues { id, email, name, traits };
        let identity = HeldIdentity::read(ruby, &values, &mut texts, &|| "user_id".into())
            .map_err(|error| error.into_ruby(ruby, None))?;
        Ok(Single { texts, identity })
    }

    /// Renders with the core and returns the text as a Ruby String.
    fn render(
        &self,
        ruby: &Ruby,
        render: impl FnOnce(&refiner_identity::Identity<'_>, &str) -> Result<String, refiner_identity::Error>,
    ) -> Result<RString, Error> {
        let rendered = render(&self.identity.identity(&self.texts), &self.texts).map_err(|e| to_ruby(ruby, e))?;
        Ok(ruby.str_new(&rendered))
    }
}

/// An option that is a String or nil (nonce, locale); anything else is an InvalidOption naming it.
pub fn option_text(
    ruby: &Ruby,
    value: Value,
    texts: &mut String,
    field: Field,
) -> Result<Option<Range<usize>>, ReadError> {
    if value.is_nil() {
        return Ok(None);
    }
    push_text(ruby, value, texts).map(Some).map_err(|problem| {
        let problem = OptionProblem::UnsupportedType { expected: "a String or nil", got: problem.describe() };
        ReadError::Core(refiner_identity::Error::option(field, problem))
    })
}

fn identify_call(
    ruby: &Ruby,
    rb_self: &Signer,
    id: Value,
    email: Value,
    name: Value,
    traits: Value,
) -> Result<RString, Error> {
    Single::read(ruby, id, email, name, traits)?.render(ruby, |identity, _| rb_self.inner.identify_call(identity))
}

fn identify_payload_json(
    ruby: &Ruby,
    rb_self: &Signer,
    id: Value,
    email: Value,
    name: Value,
    traits: Value,
) -> Result<RString, Error> {
    Single::read(ruby, id, email, name, traits)?
        .render(ruby, |identity, _| rb_self.inner.identify_payload_json(identity))
}

fn gtm_traits_json(
    ruby: &Ruby,
    rb_self: &Signer,
    id: Value,
    email: Value,
    name: Value,
    traits: Value,
) -> Result<RString, Error> {
    Single::read(ruby, id, email, name, traits)?.render(ruby, |identity, _| rb_self.inner.gtm_traits_json(identity))
}

/// Both script tags: the identity, then the nonce (its text after the identity's in the buffer).
fn with_nonce(
    ruby: &Ruby,
    values: [Value; 4],
    nonce: Value,
    render: impl FnOnce(&refiner_identity::Identity<'_>, Option<&str>) -> Result<String, refiner_identity::Error>,
) -> Result<RString, Error> {
    let [id, email, name, traits] = values;
    let mut single = Single::read(ruby, id, email, name, traits)?;
    let nonce = option_text(ruby, nonce, &mut single.texts, Field::Nonce).map_err(|e| e.into_ruby(ruby, None))?;
    single.render(ruby, |identity, texts| render(identity, nonce.map(|span| &texts[span])))
}

fn script_tag(
    ruby: &Ruby,
    rb_self: &Signer,
    id: Value,
    email: Value,
    name: Value,
    traits: Value,
    nonce: Value,
) -> Result<RString, Error> {
    with_nonce(ruby, [id, email, name, traits], nonce, |identity, nonce| rb_self.inner.script_tag(identity, nonce))
}

fn gtm_script_tag(
    ruby: &Ruby,
    rb_self: &Signer,
    id: Value,
    email: Value,
    name: Value,
    traits: Value,
    nonce: Value,
) -> Result<RString, Error> {
    with_nonce(ruby, [id, email, name, traits], nonce, |identity, nonce| rb_self.inner.gtm_script_tag(identity, nonce))
}

/// Registers the renderers (private `_name` methods; channels.rb adds the keyword API).
pub fn define(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    crate::moment::capture(ruby)?;
    let class: RClass = module.const_get("Signer")?;
    class.define_private_method("_identify_call", method!(identify_call, 4))?;
    class.define_private_method("_script_tag", method!(script_tag, 5))?;
    class.define_private_method("_identify_payload_json", method!(identify_payload_json, 4))?;
    class.define_private_method("_gtm_traits_json", method!(gtm_traits_json, 4))?;
    class.define_private_method("_gtm_script_tag", method!(gtm_script_tag, 5))?;
    crate::links::define(class)
}
