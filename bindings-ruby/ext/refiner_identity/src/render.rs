//! The renderers of SPEC.md section 9 on `RefinerIdentity::Signer`: read the
//! Ruby values once, call the core, return its text. The keyword arguments and
//! the JSON parsing of payloads live in lib/refiner_identity/channels.rb.

use std::cell::Cell;
use std::ops::Range;

use magnus::{method, prelude::*, Error, RClass, RModule, RString, Ruby, Value};
use refiner_identity::{Field, Identity, OptionProblem};

use crate::convert::{check_rendered_user_id, with_user_id};
use crate::error::to_ruby;
use crate::identity::{HeldFields, ReadError};
use crate::signer::Signer;
use crate::text::push_text;

/// Largest text buffer kept for the next call on this thread.
const KEPT_BUFFER: usize = 64 * 1024;

thread_local! {
    /// One text buffer per thread, reused so that a call does not allocate one.
    static TEXTS: Cell<String> = const { Cell::new(String::new()) };
}

/// Runs `use_texts` with this thread's (emptied) text buffer.
pub fn with_texts<R>(use_texts: impl FnOnce(&mut String) -> R) -> R {
    let mut texts = TEXTS.take();
    texts.clear();
    let result = use_texts(&mut texts);
    if texts.capacity() <= KEPT_BUFFER {
        TEXTS.set(texts);
    }
    result
}

/// Reads email, name, traits and `extra` (options read after the identity,
/// into the same buffer), then renders with the user id borrowed from Ruby
/// for the core call only (no Ruby code runs meanwhile).
pub fn render_single<X>(
    ruby: &Ruby,
    [id, email, name, traits]: [Value; 4],
    extra: impl FnOnce(&mut String) -> Result<X, ReadError>,
    render: impl FnOnce(&Identity<'_>, &X, &str) -> Result<String, refiner_identity::Error>,
) -> Result<RString, Error> {
    with_texts(|texts| {
        let fields = HeldFields::read(ruby, email, name, traits, texts).map_err(|e| e.into_ruby(ruby, None))?;
        let extra = extra(texts).map_err(|e| e.into_ruby(ruby, None))?;
        let texts: &str = texts;
        check_rendered_user_id(ruby, id, None)?;
        let rendered = with_user_id(ruby, id, &|| "user_id".into(), |user_id| {
            render(&fields.identity(user_id, texts), &extra, texts)
        })?;
        Ok(ruby.str_new(&rendered.map_err(|e| to_ruby(ruby, e))?))
    })
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
    render_single(ruby, [id, email, name, traits], |_| Ok(()), |identity, _, _| rb_self.inner.identify_call(identity))
}

fn identify_payload_json(
    ruby: &Ruby,
    rb_self: &Signer,
    id: Value,
    email: Value,
    name: Value,
    traits: Value,
) -> Result<RString, Error> {
    render_single(
        ruby,
        [id, email, name, traits],
        |_| Ok(()),
        |identity, _, _| rb_self.inner.identify_payload_json(identity),
    )
}

fn gtm_traits_json(
    ruby: &Ruby,
    rb_self: &Signer,
    id: Value,
    email: Value,
    name: Value,
    traits: Value,
) -> Result<RString, Error> {
    render_single(ruby, [id, email, name, traits], |_| Ok(()), |identity, _, _| rb_self.inner.gtm_traits_json(identity))
}

/// Both script tags: the identity, then the nonce.
fn with_nonce(
    ruby: &Ruby,
    values: [Value; 4],
    nonce: Value,
    render: impl FnOnce(&Identity<'_>, Option<&str>) -> Result<String, refiner_identity::Error>,
) -> Result<RString, Error> {
    render_single(
        ruby,
        values,
        |texts| option_text(ruby, nonce, texts, Field::Nonce),
        |identity, nonce, texts| render(identity, nonce.clone().map(|span| &texts[span])),
    )
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
