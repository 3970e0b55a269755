//! The identity a renderer writes, copied out of Ruby values: email, name
//! and the traits Hash, read once in insertion order with `rb_hash_foreach`
//! (never through methods a Hash subclass can override). All text goes into
//! one buffer, so the copy is a few allocations and can outlive the GVL. The
//! user id is read by convert.rs, exactly as `sign` reads it.

use std::ops::Range;

use magnus::r_hash::ForEach;
use magnus::rb_sys::{AsRawValue, FromRawValue};
use magnus::{prelude::*, Fixnum, RBignum, RHash, RString, Ruby, Symbol, Value};
use refiner_identity::{Field, Identity, Trait, TraitProblem, TraitValue, UserId};

use crate::error::{to_ruby, type_error};
use crate::moment::{read_moment, Moment};
use crate::text::{push_text, type_name, TextProblem};

/// Why Ruby values could not be read: a core error (gets the batch index),
/// a TypeError message (gets the batch prefix), or an exception already raised.
pub enum ReadError {
    Core(refiner_identity::Error),
    Type(String),
    Ruby(magnus::Error),
}

impl From<magnus::Error> for ReadError {
    fn from(error: magnus::Error) -> Self {
        ReadError::Ruby(error)
    }
}

impl From<refiner_identity::Error> for ReadError {
    fn from(error: refiner_identity::Error) -> Self {
        ReadError::Core(error)
    }
}

impl ReadError {
    /// The Ruby exception; `index` names the batch item, if any.
    pub fn into_ruby(self, ruby: &Ruby, index: Option<usize>) -> magnus::Error {
        match (self, index) {
            (ReadError::Core(error), Some(index)) => to_ruby(ruby, error.at_index(index)),
            (ReadError::Core(error), None) => to_ruby(ruby, error),
            (ReadError::Type(message), Some(index)) => type_error(ruby, format!("identities[{index}]: {message}")),
            (ReadError::Type(message), None) => type_error(ruby, message),
            (ReadError::Ruby(error), _) => error,
        }
    }
}

/// A trait or response value, its text in the shared buffer.
enum HeldValue {
    Text(Range<usize>),
    Integer(i128),
    Moment(Moment),
}

/// One named value (a trait or a `response_<key>` value).
pub struct HeldTrait {
    name: Range<usize>,
    value: HeldValue,
}

/// An identity's email, name and traits copied out of Ruby; their text lives
/// in the buffer passed to `read`. The id is read apart (see `render.rs`).
pub struct HeldFields {
    email: Option<Range<usize>>,
    name: Option<Range<usize>>,
    traits: Vec<HeldTrait>,
}

impl HeldFields {
    /// Copies email, name and traits into `texts`.
    pub fn read(ruby: &Ruby, email: Value, name: Value, traits: Value, texts: &mut String) -> Result<Self, ReadError> {
        let email = optional_text(ruby, email, texts, Field::Email)?;
        let name = optional_text(ruby, name, texts, Field::Name)?;
        let traits = read_named_values(ruby, traits, texts, "traits", Field::Trait)?;
        Ok(HeldFields { email, name, traits })
    }

    /// The core's view of the identity; `texts` is the buffer the fields were read into.
    pub fn identity<'a>(&'a self, id: UserId<'a>, texts: &'a str) -> Identity<'a> {
        Identity {
            id,
            email: self.email.clone().map(|span| &texts[span]),
            name: self.name.clone().map(|span| &texts[span]),
            traits: core_traits(&self.traits, texts),
        }
    }
}

/// The core's view of held traits.
pub fn core_traits<'a>(held: &'a [HeldTrait], texts: &'a str) -> Vec<Trait<'a>> {
    held.iter()
        .map(|item| Trait {
            name: &texts[item.name.clone()],
            value: match &item.value {
                HeldValue::Text(span) => TraitValue::Text(&texts[span.clone()]),
                HeldValue::Integer(value) => TraitValue::Integer(*value),
                HeldValue::Moment(Moment::Date { year, month, day }) => {
                    TraitValue::Date { year: *year, month: *month, day: *day }
                }
                HeldValue::Moment(Moment::Timestamp(seconds)) => TraitValue::Timestamp(*seconds),
            },
        })
        .collect()
}

/// Email or name: a String or nil, anything else an InvalidTrait naming the field.
fn optional_text(
    ruby: &Ruby,
    value: Value,
    texts: &mut String,
    field: Field,
) -> Result<Option<Range<usize>>, ReadError> {
    if value.is_nil() {
        return Ok(None);
    }
    push_text(ruby, value, texts).map(Some).map_err(|problem| {
        refiner_identity::Error::trait_problem(field, TraitProblem::UnsupportedType(problem.describe())).into()
    })
}

/// A Hash of name => value (traits or response values) in insertion order;
/// nil (or an empty Hash) is none. A nil value leaves its entry out.
pub fn read_named_values(
    ruby: &Ruby,
    value: Value,
    texts: &mut String,
    what: &str,
    field: fn(String) -> Field,
) -> Result<Vec<HeldTrait>, ReadError> {
    if value.is_nil() {
        return Ok(Vec::new());
    }
    let Some(hash) = RHash::from_value(value) else {
        return Err(ReadError::Type(format!("{what} must be a Hash, not {}", type_name(value))));
    };
    if hash.is_empty() {
        return Ok(Vec::new());
    }
    let mut held = Vec::with_capacity(hash.len());
    let mut failed = None;
    hash.foreach(|key: Value, item: Value| match read_entry(ruby, key, item, texts, field) {
        Ok(Some(entry)) => {
            held.push(entry);
            Ok(ForEach::Continue)
        }
        Ok(None) => Ok(ForEach::Continue),
        Err(error) => {
            failed = Some(error);
            Ok(ForEach::Stop)
        }
    })?;
    match failed {
        Some(error) => Err(error),
        None => Ok(held),
    }
}

/// One entry: a String or Symbol name and a value of a type Refiner accepts.
fn read_entry(
    ruby: &Ruby,
    key: Value,
    value: Value,
    texts: &mut String,
    field: fn(String) -> Field,
) -> Result<Option<HeldTrait>, ReadError> {
    let name = read_name(ruby, key, texts).map_err(|shown| bad(field(shown), TraitProblem::BadName))?;
    if value.is_nil() {
        texts.truncate(name.start);
        return Ok(None);
    }
    let named = |texts: &String| field(texts[name.clone()].to_owned());
    let unsupported = |texts: &String, got: String| bad(named(texts), TraitProblem::UnsupportedType(got));
    let held = if RString::from_value(value).is_some() {
        HeldValue::Text(push_text(ruby, value, texts).map_err(|problem| unsupported(texts, problem.describe()))?)
    } else if let Some(small) = Fixnum::from_value(value) {
        HeldValue::Integer(i128::from(small.to_i64()))
    } else if let Some(big) = RBignum::from_value(value) {
        // Far outside Refiner's range whatever its value: saturate so the core refuses it.
        HeldValue::Integer(if big.is_negative() { i128::MIN } else { i128::MAX })
    } else if let Some(moment) = read_moment(ruby, value)? {
        HeldValue::Moment(moment)
    } else {
        return Err(unsupported(texts, type_name(value)));
    };
    Ok(Some(HeldTrait { name, value: held }))
}

/// A trait name: a String or a Symbol, as UTF-8 text; otherwise what to show for it.
fn read_name(ruby: &Ruby, key: Value, texts: &mut String) -> Result<Range<usize>, String> {
    let text = match Symbol::from_value(key) {
        // SAFETY: rb_sym2str returns the Symbol's frozen name String.
        Some(symbol) => unsafe { Value::from_raw(rb_sys::rb_sym2str(symbol.as_raw())) },
        None => key,
    };
    push_text(ruby, text, texts).map_err(|problem| match problem {
        TextProblem::NotString(_) => match Fixnum::from_value(key) {
            Some(number) => number.to_i64().to_string(),
            None => format!("#<{}>", type_name(key)),
        },
        // SAFETY: the bytes are copied at once.
        TextProblem::Invalid(_) | TextProblem::NoUtf8(_) => match RString::from_value(text) {
            Some(name) => String::from_utf8_lossy(unsafe { name.as_slice() }).into_owned(),
            None => String::new(),
        },
    })
}

fn bad(field: Field, problem: TraitProblem) -> ReadError {
    ReadError::Core(refiner_identity::Error::trait_problem(field, problem))
}
