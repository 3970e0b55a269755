//! Survey links (SPEC.md section 9): `survey_link` for one identity and
//! `survey_links` for an Array of identity Hashes. A batch is copied out of
//! Ruby first (GVL held), then made by the core's batch engine without the
//! GVL, in chunks so that `Thread#raise` and Ctrl-C are noticed between them.

use std::ops::Range;
use std::os::raw::c_long;

use magnus::r_hash::ForEach;
use magnus::rb_sys::{AsRawValue, FromRawValue};
use magnus::{method, prelude::*, Error, RArray, RClass, RHash, RString, Ruby, Symbol, Value};
use refiner_identity::{Field, LinkOptions, LinkRequest, OptionProblem, SurveyUrl, Tags};

use crate::convert::{check_rendered_user_id, HeldUserId};
use crate::error::{to_ruby, type_error};
use crate::identity::{core_traits, read_named_values, HeldFields, HeldTrait, ReadError};
use crate::nogvl::without_gvl;
use crate::render::{option_text, render_single};
use crate::signer::Signer;
use crate::text::{push_text, type_name, TextProblem};

/// Identities per chunk: a few milliseconds of work, the longest an interrupt waits.
const CHUNK_LINKS: usize = 16 * 1024;

/// The keys of an identity Hash in `survey_links`, as Symbols or Strings.
const KEYS: [&str; 7] = ["id", "email", "name", "traits", "locale", "tags", "response"];

enum HeldTags {
    Joined(Range<usize>),
    List(Vec<Range<usize>>),
}

/// A link's options copied out of Ruby; their text lives in the identity's buffer.
struct HeldOptions {
    locale: Option<Range<usize>>,
    tags: Option<HeldTags>,
    response: Vec<HeldTrait>,
}

impl HeldOptions {
    fn read(ruby: &Ruby, locale: Value, tags: Value, response: Value, texts: &mut String) -> Result<Self, ReadError> {
        let locale = option_text(ruby, locale, texts, Field::Locale)?;
        let tags = read_tags(ruby, tags, texts)?;
        let response = read_named_values(ruby, response, texts, "response", Field::Response)?;
        Ok(HeldOptions { locale, tags, response })
    }

    fn options<'a>(&'a self, texts: &'a str) -> LinkOptions<'a> {
        LinkOptions {
            locale: self.locale.clone().map(|span| &texts[span]),
            tags: self.tags.as_ref().map(|tags| match tags {
                HeldTags::Joined(span) => Tags::Joined(&texts[span.clone()]),
                HeldTags::List(spans) => Tags::List(spans.iter().map(|span| &texts[span.clone()]).collect()),
            }),
            response: core_traits(&self.response, texts),
        }
    }
}

/// nil, a String, or an Array of Strings (read by index through the C API).
fn read_tags(ruby: &Ruby, value: Value, texts: &mut String) -> Result<Option<HeldTags>, ReadError> {
    let unsupported = |field: Field, expected: &'static str, got: String| {
        ReadError::Core(refiner_identity::Error::option(field, OptionProblem::UnsupportedType { expected, got }))
    };
    if value.is_nil() {
        return Ok(None);
    }
    if RString::from_value(value).is_some() {
        let span = push_text(ruby, value, texts).map_err(|p| unsupported(Field::Tags, "a String", p.describe()))?;
        return Ok(Some(HeldTags::Joined(span)));
    }
    let Some(array) = RArray::from_value(value) else {
        return Err(unsupported(Field::Tags, "a String, an Array of Strings or nil", type_name(value)));
    };
    let mut spans = Vec::with_capacity(array.len());
    let mut index = 0;
    while index < array.len() {
        let tag = entry(array, index);
        spans.push(push_text(ruby, tag, texts).map_err(|p| unsupported(Field::Tag(index), "a String", p.describe()))?);
        index += 1;
    }
    Ok(Some(HeldTags::List(spans)))
}

/// `array[index]` through the C API (nil past the end): an Array subclass's `[]` is never called.
fn entry(array: RArray, index: usize) -> Value {
    // SAFETY: a C read of a live Array; the index is below its length, which fits a c_long.
    unsafe { Value::from_raw(rb_sys::rb_ary_entry(array.as_raw(), index as c_long)) }
}

/// The survey URL's text: a String (else a TypeError), valid in its encoding.
fn read_url(ruby: &Ruby, value: Value) -> Result<String, Error> {
    let mut text = String::new();
    match push_text(ruby, value, &mut text) {
        Ok(_) => Ok(text),
        Err(TextProblem::NotString(got)) => Err(type_error(ruby, format!("url must be a String, not {got}"))),
        Err(problem) => {
            let problem = OptionProblem::UnsupportedType { expected: "a String", got: problem.describe() };
            Err(to_ruby(ruby, refiner_identity::Error::option(Field::Url, problem)))
        }
    }
}

/// One identity and its link options, copied out of Ruby.
struct HeldRequest {
    id: HeldUserId,
    fields: HeldFields,
    options: HeldOptions,
}

impl HeldRequest {
    fn request<'a>(&'a self, texts: &'a str) -> LinkRequest<'a> {
        LinkRequest {
            identity: self.fields.identity(self.id.as_user_id(), texts),
            options: self.options.options(texts),
        }
    }
}

#[allow(clippy::too_many_arguments)] // the keyword arguments of Signer#survey_link, passed on by channels.rb
fn survey_link(
    ruby: &Ruby,
    rb_self: &Signer,
    url: Value,
    id: Value,
    email: Value,
    name: Value,
    traits: Value,
    locale: Value,
    tags: Value,
    response: Value,
) -> Result<RString, Error> {
    let url_text = read_url(ruby, url)?;
    // A repeated URL is not checked again (the core keeps the thread's last one).
    SurveyUrl::with_parsed(&url_text, |url| {
        render_single(
            ruby,
            [id, email, name, traits],
            |texts| HeldOptions::read(ruby, locale, tags, response, texts),
            |identity, options, texts| rb_self.inner.survey_link(url, identity, &options.options(texts)),
        )
    })
    .map_err(|e| to_ruby(ruby, e))?
}

/// Reads the identity Hash at `index` of a batch.
fn read_request(ruby: &Ruby, item: Value, texts: &mut String, index: usize) -> Result<HeldRequest, ReadError> {
    let Some(hash) = RHash::from_value(item) else {
        return Err(ReadError::Type(format!("an identity must be a Hash, not {}", type_name(item))));
    };
    let nil = ruby.qnil().as_value();
    let mut fields: [Option<Value>; KEYS.len()] = [None; KEYS.len()];
    let mut failed = None;
    hash.foreach(|key: Value, value: Value| {
        match key_slot(key) {
            Ok(slot) if fields[slot].is_some() => failed = Some(format!("{} is given twice", KEYS[slot])),
            Ok(slot) => fields[slot] = Some(value),
            Err(message) => failed = Some(message),
        }
        Ok(if failed.is_some() { ForEach::Stop } else { ForEach::Continue })
    })?;
    if let Some(message) = failed {
        return Err(ReadError::Type(message));
    }
    let [id, email, name, traits, locale, tags, response] = fields;
    let Some(id) = id else {
        return Err(ReadError::Type("an identity needs an id".into()));
    };
    check_rendered_user_id(ruby, id, Some(index))?;
    let id = HeldUserId::read(ruby, id, &|| format!("identities[{index}][:id]"))?;
    let fields = HeldFields::read(ruby, email.unwrap_or(nil), name.unwrap_or(nil), traits.unwrap_or(nil), texts)?;
    let options = HeldOptions::read(ruby, locale.unwrap_or(nil), tags.unwrap_or(nil), response.unwrap_or(nil), texts)?;
    Ok(HeldRequest { id, fields, options })
}

/// Which of `KEYS` a Symbol or String key is; else the TypeError message naming it.
fn key_slot(key: Value) -> Result<usize, String> {
    let (text, symbol) = match Symbol::from_value(key) {
        // SAFETY: rb_sym2str returns the Symbol's frozen name String.
        Some(symbol) => (unsafe { Value::from_raw(rb_sys::rb_sym2str(symbol.as_raw())) }, true),
        None => (key, false),
    };
    let Some(text) = RString::from_value(text) else {
        return Err(format!("a key must be a Symbol or a String, not {}", type_name(key)));
    };
    // SAFETY: compared and copied before any other Ruby call.
    let bytes = unsafe { text.as_slice() };
    if let Some(slot) = KEYS.iter().position(|name| name.as_bytes() == bytes) {
        return Ok(slot);
    }
    let name: String = String::from_utf8_lossy(bytes).chars().take(100).collect();
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let name = if symbol && plain {
        format!(":{name}")
    } else if symbol {
        format!(":{name:?}")
    } else {
        format!("{name:?}")
    };
    Err(format!("unknown key {name} (an identity has id, email, name, traits, locale, tags and response)"))
}

fn survey_links(ruby: &Ruby, rb_self: &Signer, url: Value, identities: Value) -> Result<RArray, Error> {
    let url_text = read_url(ruby, url)?;
    let url = SurveyUrl::parse(&url_text).map_err(|e| to_ruby(ruby, e))?;
    let Some(array) = RArray::from_value(identities) else {
        return Err(type_error(ruby, format!("identities must be an Array, not {}", type_name(identities))));
    };
    // The Array as it is now (copy-on-write), whatever other threads do to it meanwhile.
    let array = array.dup();
    let len = array.len();
    let result = ruby.ary_new_capa(len);
    // One chunk at a time (read, made on all cores, handed to Ruby), so the
    // copies held outside Ruby's heap stay one chunk long.
    let mut texts = String::new();
    let mut held = Vec::with_capacity(CHUNK_LINKS.min(len));
    for start in (0..len).step_by(CHUNK_LINKS) {
        // Reading holds the GVL: let Thread#raise and signals in between chunks.
        ruby.thread_check_ints()?;
        texts.clear();
        held.clear();
        let mut failed = None;
        for index in start..(start + CHUNK_LINKS).min(len) {
            match read_request(ruby, entry(array, index), &mut texts, index) {
                Ok(request) => held.push(request),
                Err(error) => {
                    failed = Some((index, error));
                    break;
                }
            }
        }
        let requests: Vec<LinkRequest<'_>> = held.iter().map(|request| request.request(&texts)).collect();
        let made = make_links(ruby, rb_self, &url, &requests)?.map_err(|e| to_ruby(ruby, e.offset_index(start)));
        if let Some((index, error)) = failed {
            // An earlier item the core refuses is the first bad index.
            return Err(made.err().unwrap_or_else(|| error.into_ruby(ruby, Some(index))));
        }
        for link in &made? {
            result.push(ruby.str_new(link))?;
        }
    }
    Ok(result)
}

/// The links of one chunk, made on all cores without the GVL.
fn make_links(
    ruby: &Ruby,
    rb_self: &Signer,
    url: &SurveyUrl<'_>,
    requests: &[LinkRequest<'_>],
) -> Result<Result<Vec<String>, refiner_identity::Error>, Error> {
    without_gvl(ruby, |_| rb_self.inner.survey_links(url, requests))
}

pub fn define(class: RClass) -> Result<(), Error> {
    class.define_private_method("_survey_link", method!(survey_link, 8))?;
    class.define_method("survey_links", method!(survey_links, 2))
}
