//! Reads the renderers' identity objects into `Identities` (SPEC.md section 9).
//! identity_reader.js reads one object per call (own enumerable keys, each
//! once; traits from a plain object or a Map; built-ins captured at load) and
//! hands back its text and typed records; this file decodes them, applies the
//! binding's type rules and reads the id with the user-id conversion of `sign`.

use napi::bindgen_prelude::Unknown;
use refiner_identity::{Error, Field, OptionProblem, TraitProblem, TraitValue};

use crate::error::Failure;
use crate::identity::{Identities, Item, Span, TagSpans, Value};
use crate::intrinsics::{self, Intrinsic};
use crate::raw_js::{Js, Value as JsValue};
use crate::user_id::{describe_number, HeldUserId};

/// The keys a renderer accepts in its identity object.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// `{ id, email, name, traits }`
    Identity = 0,
    /// ... plus `nonce`
    Script = 1,
    /// ... plus `locale`, `tags`, `response`
    Link = 2,
}

impl Keys {
    fn listed(self) -> &'static str {
        match self {
            Keys::Identity => "id, email, name, traits",
            Keys::Script => "id, email, name, traits, nonce",
            Keys::Link => "id, email, name, traits, locale, tags, response",
        }
    }
}

// Record tags and type codes of identity_reader.js.
const OK: u32 = 1;
const NOT_OBJECT: u32 = 2;
const UNKNOWN_KEY: u32 = 3;
const TOO_LARGE: u32 = 4;
const NONE: u32 = 10;
const TEXT: u32 = 11;
const NUMBER: u32 = 12;
const BIGINT: u32 = 13;
const DATE: u32 = 14;
const BAD: u32 = 15;
const LIST: u32 = 16;

/// A JavaScript type, by the code identity_reader.js gives it.
fn type_name(code: u32) -> &'static str {
    match code {
        1 => "a boolean",
        2 => "a symbol",
        3 => "a function",
        4 => "an array",
        5 => "a typed array",
        6 => "a Date",
        7 => "a Map",
        9 => "undefined",
        10 => "a string",
        11 => "a number",
        12 => "a bigint",
        13 => "null",
        14 => {
            "an object whose contents are not its own properties (a Set, WeakMap, Promise, iterator, boxed \
               primitive, or a Proxy of anything but a plain object)"
        }
        15 => "an array whose length is not a valid array length",
        _ => "an object",
    }
}

/// Largest safe integer of JavaScript numbers.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A piece of the read text: where it is in the store, and the text itself.
#[derive(Clone, Copy)]
struct Piece<'a> {
    span: Span,
    text: &'a str,
}

/// One decoded record.
enum Raw<'a> {
    None,
    Text(Piece<'a>),
    Number(f64),
    BigInt(Piece<'a>),
    Date(f64),
    Bad(u32),
    List(usize),
}

impl Raw<'_> {
    /// What the value was, for messages ("a boolean", "the number 1.5").
    fn describe(&self) -> String {
        match self {
            Raw::None => "null".into(),
            Raw::Text(_) => "a string".into(),
            Raw::Number(number) => format!("the number {}", describe_number(*number)),
            Raw::BigInt(_) => "a bigint".into(),
            Raw::Date(_) => "a Date".into(),
            Raw::Bad(code) => type_name(*code).into(),
            Raw::List(_) => "an array".into(),
        }
    }
}

/// The records of one read, with the joined text their pieces come from.
struct Records<'a> {
    codes: &'a [f64],
    at: usize,
    text: &'a str,
    position: usize,
}

/// The records do not match the text (a bug); kept small so decoding moves little data.
#[derive(Debug)]
struct Corrupt;

fn corrupt() -> Corrupt {
    Corrupt
}

impl From<Corrupt> for Failure {
    fn from(_: Corrupt) -> Self {
        Failure::Napi(napi::Error::from_reason(
            "refiner-identity: the identity reader's records are inconsistent (a bug)",
        ))
    }
}

impl<'a> Records<'a> {
    fn next(&mut self) -> Result<(u32, f64), Corrupt> {
        let record = self.codes.get(self.at..self.at + 2).ok_or_else(corrupt)?;
        self.at += 2;
        Ok((record[0] as u32, record[1]))
    }

    /// The next piece of text, `units` UTF-16 code units long, after its NUL.
    fn piece(&mut self, units: f64) -> Result<Piece<'a>, Corrupt> {
        let bytes = self.text.as_bytes();
        if bytes.get(self.position) != Some(&0) {
            return Err(corrupt());
        }
        let start = self.position + 1;
        let units = units as usize;
        // ASCII has one byte per code unit; anything else is walked character by character.
        let end = match bytes.get(start..start + units) {
            Some(ascii) if ascii.is_ascii() => start + units,
            _ => {
                let (mut at, mut remaining) = (start, units);
                while remaining > 0 {
                    let (length, char_units) = utf8_char_shape(*bytes.get(at).ok_or_else(corrupt)?);
                    remaining = remaining.checked_sub(char_units).ok_or_else(corrupt)?;
                    at += length;
                }
                at
            }
        };
        self.position = end;
        let text = self.text.get(start..end).ok_or_else(corrupt)?;
        Ok(Piece { span: Span::new(start, end), text })
    }

    fn value(&mut self) -> Result<Raw<'a>, Corrupt> {
        let (tag, payload) = self.next()?;
        Ok(match tag {
            NONE => Raw::None,
            TEXT => Raw::Text(self.piece(payload)?),
            NUMBER => Raw::Number(payload),
            BIGINT => Raw::BigInt(self.piece(payload)?),
            DATE => Raw::Date(payload),
            BAD => Raw::Bad(payload as u32),
            LIST => Raw::List(payload as usize),
            _ => return Err(corrupt()),
        })
    }
}

/// Bytes and UTF-16 code units of the UTF-8 character starting with `lead`
/// (Node writes a lone surrogate as U+FFFD: three bytes, one unit).
fn utf8_char_shape(lead: u8) -> (usize, usize) {
    match lead {
        0x00..=0x7f => (1, 1),
        0x80..=0xdf => (2, 1),
        0xe0..=0xef => (3, 1),
        _ => (4, 2),
    }
}

/// Reads identity objects into one store (its text is the text read: spans point into it).
pub struct Reader<'s> {
    js: Js,
    store: &'s mut Identities,
}

impl<'s> Reader<'s> {
    pub fn new(js: Js, store: &'s mut Identities) -> Self {
        Reader { js, store }
    }

    /// Reads one identity object (`label` names it in TypeErrors, e.g. `identities[3]`).
    pub fn read(&mut self, object: JsValue, keys: Keys, label: &dyn Fn() -> String) -> Result<(), Failure> {
        let js = self.js;
        let reader = intrinsics::get(js, Intrinsic::ReadIdentity)?;
        let read = js.call(reader, js.undefined()?, &[object, js.uint32(keys as u32)?])?;
        let (text, codes, id) = (js.element(read, 0)?, js.element(read, 1)?, js.element(read, 2)?);
        self.decode(text, codes, id, keys, label)
    }

    /// Decodes what identity_reader.js returned for one object: its text, its
    /// records and the id value (read with `keys`, the keys given to the reader).
    pub fn decode(
        &mut self,
        text: JsValue,
        codes: JsValue,
        id: JsValue,
        keys: Keys,
        label: &dyn Fn() -> String,
    ) -> Result<(), Failure> {
        let js = self.js;
        // The text and records are decoded while the rest of the store fills up.
        let mut all_text = std::mem::take(&mut self.store.text);
        let mut all_codes = std::mem::take(&mut self.store.codes);
        let position = all_text.len();
        let decoded = js
            .read_text(text, &mut all_text)
            .and_then(|()| js.read_f64_array(codes, &mut all_codes))
            .map_err(Failure::from)
            .and_then(|()| {
                let mut records = Records { codes: &all_codes, at: 1, text: &all_text, position };
                decode(js, &mut records, self.store, id, keys, label)?;
                // Every record and every piece of text was used.
                if records.at != all_codes.len() || records.position != all_text.len() {
                    return Err(corrupt().into());
                }
                Ok(())
            });
        self.store.text = all_text;
        self.store.codes = all_codes;
        decoded
    }
}

fn decode(
    js: Js,
    records: &mut Records<'_>,
    store: &mut Identities,
    id: JsValue,
    keys: Keys,
    label: &dyn Fn() -> String,
) -> Result<(), Failure> {
    let (tag, payload) = records.next()?;
    match tag {
        OK => {}
        NOT_OBJECT => {
            return Err(Failure::WrongType(format!(
                "{} must be an object such as {{ {} }}; received {}",
                label(),
                keys.listed(),
                type_name(payload as u32)
            )))
        }
        TOO_LARGE => {
            return Err(Failure::InvalidValue(format!(
                "{}: its strings together are longer than the longest JavaScript string (a trait is at most \
                 10,000 characters)",
                label()
            )))
        }
        UNKNOWN_KEY => {
            return Err(Failure::WrongType(format!(
                "{} has an unknown key {}; the keys are {}",
                label(),
                shown(records.piece(payload)?.text),
                keys.listed()
            )))
        }
        _ => return Err(corrupt().into()),
    }
    // SAFETY: the value belongs to this call's env and lives as long as its handle scope.
    let id = unsafe { Unknown::from_raw_unchecked(js.env, id) };
    let id = HeldUserId::read(id, &|| format!("{}.id", label()))?;
    let id = store.push_id(id.as_user_id());
    let email = optional_text(records.value()?, Field::Email)?;
    let name = optional_text(records.value()?, Field::Name)?;
    let traits = named_values(store, records, Field::Trait, &|| format!("{}.traits", label()))?;
    let nonce = option_text(records.value()?, Field::Nonce)?;
    let locale = option_text(records.value()?, Field::Locale)?;
    let tags = tags(store, records)?;
    let response = named_values(store, records, Field::Response, &|| format!("{}.response", label()))?;
    store.push_item(Item { id, email, name, traits, nonce, locale, tags, response });
    Ok(())
}

/// `email` / `name`: text, or null/undefined for none.
fn optional_text(raw: Raw<'_>, field: Field) -> Result<Option<Span>, Failure> {
    match raw {
        Raw::None => Ok(None),
        Raw::Text(piece) => Ok(Some(piece.span)),
        other => Err(Error::trait_problem(field, TraitProblem::UnsupportedType(other.describe())).into()),
    }
}

/// `nonce` / `locale`: text, or null/undefined for none.
fn option_text(raw: Raw<'_>, field: Field) -> Result<Option<Span>, Failure> {
    match raw {
        Raw::None => Ok(None),
        Raw::Text(piece) => Ok(Some(piece.span)),
        other => Err(unsupported_option(field, "a string", other.describe())),
    }
}

/// `tags`: a string, or an array of strings.
fn tags(store: &mut Identities, records: &mut Records<'_>) -> Result<Option<TagSpans>, Failure> {
    match records.value()? {
        Raw::None => Ok(None),
        Raw::Text(piece) => Ok(Some(TagSpans::Joined(piece.span))),
        Raw::List(count) => {
            let start = store.tag_count();
            for index in 0..count {
                match records.value()? {
                    Raw::Text(tag) => store.push_tag(tag.span),
                    other => return Err(unsupported_option(Field::Tag(index), "a string", other.describe())),
                }
            }
            Ok(Some(TagSpans::List(start..store.tag_count())))
        }
        other => Err(unsupported_option(Field::Tags, "a string or an array of strings", other.describe())),
    }
}

/// Traits or response values, in the order read; null/undefined for none.
fn named_values(
    store: &mut Identities,
    records: &mut Records<'_>,
    field: fn(String) -> Field,
    label: &dyn Fn() -> String,
) -> Result<std::ops::Range<usize>, Failure> {
    let start = store.value_count();
    let count = match records.value()? {
        Raw::None => 0,
        Raw::List(count) => count,
        other => {
            return Err(Failure::WrongType(format!(
                "{} must be a plain object or a Map of name to value; received {}",
                label(),
                other.describe()
            )))
        }
    };
    for _ in 0..count {
        let name = match records.value()? {
            Raw::Text(name) => name,
            other => {
                let shown = format!("<{} key>", other.describe());
                return Err(Error::trait_problem(field(shown), TraitProblem::BadName).into());
            }
        };
        let value = match records.value()? {
            Raw::None => continue,
            Raw::Text(piece) => Value::Text(piece.span),
            Raw::Number(number) => Value::Plain(integer(number).map_err(|got| named_error(field, name.text, got))?),
            // Beyond i128 is far outside Refiner's range: the core says so.
            Raw::BigInt(decimal) => Value::Plain(TraitValue::Integer(decimal.text.parse().unwrap_or(i128::MAX))),
            Raw::Date(millis) => {
                if millis.is_nan() {
                    return Err(named_error(field, name.text, "an invalid Date (its time is NaN)".into()));
                }
                // A valid time value is an integer of at most 8.64e15 ms: exact as i64,
                // and floored in integers (a float division could round up).
                Value::Plain(TraitValue::Timestamp((millis as i64).div_euclid(1000)))
            }
            other => return Err(named_error(field, name.text, other.describe())),
        };
        store.push_value(name.span, value);
    }
    Ok(start..store.value_count())
}

/// A number as a trait integer: integral numbers go to the core (which checks
/// Refiner's range); fractions, NaN and infinities are refused here.
fn integer(number: f64) -> Result<TraitValue<'static>, String> {
    if number.is_finite() && number.trunc() == number {
        // Beyond the safe range a number is far outside Refiner's range: the core says so.
        let value = if number.abs() <= MAX_SAFE_INTEGER { number as i128 } else { i128::MAX };
        Ok(TraitValue::Integer(value))
    } else {
        Err(format!("the number {} (only integers are accepted)", describe_number(number)))
    }
}

fn named_error(field: fn(String) -> Field, name: &str, got: String) -> Failure {
    Error::trait_problem(field(name.to_owned()), TraitProblem::UnsupportedType(got)).into()
}

fn unsupported_option(field: Field, expected: &'static str, got: String) -> Failure {
    Error::option(field, OptionProblem::UnsupportedType { expected, got }).into()
}

/// A key as shown in a message: quoted, escaped and shortened.
fn shown(key: &str) -> String {
    const SHOWN: usize = 60;
    let cut: String = key.chars().take(SHOWN).collect();
    if cut.len() < key.len() {
        format!("{cut:?}...")
    } else {
        format!("{cut:?}")
    }
}
