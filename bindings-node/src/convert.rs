//! JavaScript values to core inputs (SPEC.md section 3).
//! Strings are UTF-8 exactly as `crypto`'s `update(string)` makes them (lone
//! surrogates become U+FFFD); Uint8Arrays (Buffers included) are used as is.

use napi::bindgen_prelude::{Array, JsObjectValue, JsValue, Uint32ArraySlice, Uint8ArraySlice, Unknown, ValueType};
use napi::{sys, Env, Status};
use refiner_identity::{UserId, UserIdBatch};

use crate::error::Failure;
use crate::js_helpers::{call, Helper};
use crate::scope::{ChunkScope, CHUNK};

const USER_ID_TYPES: &str = "a string, a Uint8Array (or Buffer), a safe-integer number or a bigint";
/// Number.MAX_SAFE_INTEGER: beyond it a number has already lost digits.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
/// Strings up to this many UTF-8 bytes are read without a heap allocation.
const INLINE_TEXT: usize = 128;
/// The longest UTF-8 encoding of one character.
const MAX_UTF8_CHAR: usize = 4;

/// A user id as JavaScript gave it, before any bytes are copied.
enum Classified<'a> {
    Text(Unknown<'a>),
    Bytes(Uint8ArraySlice<'a>),
    Integer(i128),
    BigInteger(String),
}

fn classify<'a>(value: Unknown<'a>, label: &dyn Fn() -> String) -> Result<Classified<'a>, Failure> {
    match value.get_type()? {
        ValueType::String => Ok(Classified::Text(value)),
        ValueType::Number => {
            // SAFETY (every cast here): it follows the type check that makes it valid.
            let number = unsafe { value.cast::<f64>() }?;
            if number.is_finite() && number.trunc() == number && number.abs() <= MAX_SAFE_INTEGER {
                Ok(Classified::Integer(number as i128))
            } else {
                Err(Failure::WrongType(format!(
                    "{}: the number {} is not a safe integer, so its digits may already be lost \
                     (Number.isSafeInteger is false); pass the id as a string or a bigint",
                    label(),
                    describe_number(number)
                )))
            }
        }
        ValueType::BigInt => {
            // ToString of a bigint is its canonical decimal; the core checks it.
            let decimal = value.coerce_to_string()?.into_utf8()?.as_str()?.to_owned();
            Ok(match decimal.parse::<i128>() {
                Ok(small) => Classified::Integer(small),
                Err(_) => Classified::BigInteger(decimal),
            })
        }
        ValueType::Object if is_uint8_array(&value)? => Ok(Classified::Bytes(unsafe { value.cast() }?)),
        other => Err(Failure::WrongType(format!(
            "{}: user id must be {USER_ID_TYPES}; received {}",
            label(),
            describe_type(other)
        ))),
    }
}

/// One user id, converted for a single call; short strings stay on the stack.
pub struct HeldUserId<'a> {
    classified: Classified<'a>,
    text: Vec<u8>,
    inline: [u8; INLINE_TEXT],
    inline_len: Option<usize>,
}

impl<'a> HeldUserId<'a> {
    pub fn read(value: Unknown<'a>, label: &dyn Fn() -> String) -> Result<Self, Failure> {
        let classified = classify(value, label)?;
        let mut held = HeldUserId { classified, text: Vec::new(), inline: [0; INLINE_TEXT], inline_len: None };
        if let Classified::Text(text) = &held.classified {
            held.inline_len = read_utf8_inline(text, &mut held.inline)?;
            if held.inline_len.is_none() {
                read_utf8_into(text, &mut held.text)?;
            }
        }
        Ok(held)
    }

    pub fn as_user_id(&self) -> UserId<'_> {
        match &self.classified {
            // Node already made the text valid UTF-8; its bytes are what gets signed.
            Classified::Text(_) => match self.inline_len {
                Some(len) => UserId::Bytes(&self.inline[..len]),
                None => UserId::Bytes(&self.text),
            },
            Classified::Bytes(bytes) => UserId::Bytes(bytes),
            Classified::Integer(value) => UserId::Integer(*value),
            Classified::BigInteger(decimal) => UserId::BigInteger(decimal),
        }
    }
}

/// Reads a JS array of user ids into the core's owned batch: no allocation per
/// id, and the batch can cross to the thread pool (`signManyAsync`).
pub fn read_batch(env: &Env, user_ids: &Unknown<'_>) -> Result<UserIdBatch, Failure> {
    if !user_ids.is_array()? {
        return Err(Failure::WrongType("userIds must be an array".into()));
    }
    if let Some(batch) = read_string_batch(env, user_ids)? {
        return Ok(batch);
    }
    // SAFETY: checked to be an array just above.
    let array = unsafe { user_ids.cast::<Array>() }?;
    let mut batch = UserIdBatch::with_capacity(array.len() as usize);
    let mut scope = None;
    let mut inline = [0u8; INLINE_TEXT];
    for index in 0..array.len() {
        if index % CHUNK == 0 {
            drop(scope.take()); // close the previous chunk's scope before opening the next
            scope = Some(ChunkScope::open(user_ids.value().env)?);
        }
        let value: Unknown = array.get_element(index)?;
        match classify(value, &|| format!("userIds[{index}]"))? {
            // One napi call for short ids; the length query only for long ones.
            Classified::Text(text) => match read_utf8_inline(&text, &mut inline)? {
                Some(len) => batch.push_bytes(&inline[..len]),
                None => batch.push_bytes_with(|buffer| read_utf8_into(&text, buffer))?,
            },
            Classified::Bytes(bytes) => batch.push_bytes(&bytes),
            Classified::Integer(value) => batch.push_integer(value),
            Classified::BigInteger(decimal) => batch.push_big_integer(&decimal),
        }
    }
    drop(scope);
    Ok(batch)
}

/// The fast path for an array of strings only: the `join` helper returns the
/// strings joined and each one's UTF-16 length; one read gives all the UTF-8,
/// split here by counting UTF-16 units per character. `None` for a mixed
/// array, or when a surrogate pair straddles two ids (each id then has a lone
/// surrogate, which must become U+FFFD on its own: the general path does that).
fn read_string_batch(env: &Env, user_ids: &Unknown<'_>) -> Result<Option<UserIdBatch>, Failure> {
    let _scope = ChunkScope::open(env.raw())?;
    let joined = call(env, Helper::Join, &[user_ids.raw()])?;
    // SAFETY: `joined` is a live value of this env, returned by the helper.
    let joined = unsafe { Unknown::from_raw_unchecked(env.raw(), joined) };
    if joined.get_type()? != ValueType::Object {
        return Ok(None);
    }
    // SAFETY: the helper returns `[string, Uint32Array]` when it returns an object.
    let pair = unsafe { joined.cast::<Array>() }?;
    let text: Unknown = pair.get_element(0)?;
    let lengths: Uint32ArraySlice = pair.get_element(1)?;
    let mut utf8 = Vec::new();
    read_utf8_into(&text, &mut utf8)?;
    Ok(split_joined(&utf8, &lengths))
}

/// The ids in `utf8` (all of them joined), given each one's UTF-16 length.
fn split_joined(utf8: &[u8], lengths: &[u32]) -> Option<UserIdBatch> {
    let mut batch = UserIdBatch::with_capacity(lengths.len());
    let mut position = 0usize;
    // Only ASCII has as many UTF-8 bytes as UTF-16 units (every other character
    // has more), so then each id is its length in bytes: no per-character walk
    // (about 25 ms less per million ids).
    if utf8.len() == lengths.iter().map(|&units| units as usize).sum::<usize>() {
        for &units in lengths {
            batch.push_bytes(&utf8[position..position + units as usize]);
            position += units as usize;
        }
        return Some(batch);
    }
    for &units in lengths {
        let start = position;
        let mut remaining = units as usize;
        while remaining > 0 {
            let (bytes, char_units) = utf8_char_shape(utf8.get(position).copied());
            if char_units > remaining || position + bytes > utf8.len() {
                return None; // a surrogate pair across two ids
            }
            position += bytes;
            remaining -= char_units;
        }
        batch.push_bytes(&utf8[start..position]);
    }
    (position == utf8.len()).then_some(batch)
}

/// Bytes and UTF-16 units of the UTF-8 character starting with `lead`.
fn utf8_char_shape(lead: Option<u8>) -> (usize, usize) {
    match lead {
        Some(0x00..=0x7f) => (1, 1),
        Some(0xc0..=0xdf) => (2, 1),
        Some(0xe0..=0xef) => (3, 1),
        Some(_) => (4, 2),
        // Past the end: a shape no length fits, so the caller falls back.
        None => (usize::MAX / 2, usize::MAX / 2),
    }
}

/// A secret or a signature: a string (UTF-8) or a Uint8Array. Never echoed.
pub enum HeldBytes<'a> {
    Text(Vec<u8>),
    Bytes(Uint8ArraySlice<'a>),
}

impl AsRef<[u8]> for HeldBytes<'_> {
    fn as_ref(&self) -> &[u8] {
        match self {
            HeldBytes::Text(text) => text,
            HeldBytes::Bytes(bytes) => bytes,
        }
    }
}

/// Converts a secret (or a signature): string or Uint8Array; `what` names it in messages.
pub fn hold_bytes<'a>(value: &Unknown<'a>, what: &str) -> Result<HeldBytes<'a>, Failure> {
    match value.get_type()? {
        ValueType::String => {
            let mut text = Vec::new();
            read_utf8_into(value, &mut text)?;
            Ok(HeldBytes::Text(text))
        }
        ValueType::Object if is_uint8_array(value)? => Ok(HeldBytes::Bytes(unsafe { value.cast() }?)),
        other => Err(Failure::WrongType(format!(
            "{what} must be a string or a Uint8Array (or Buffer); received {}",
            describe_type(other)
        ))),
    }
}

/// Reads a short string into `buffer`; `None` when it may not fit.
fn read_utf8_inline(text: &Unknown<'_>, buffer: &mut [u8; INLINE_TEXT]) -> napi::Result<Option<usize>> {
    let mut len = 0usize;
    // SAFETY: `text` is a string of its env (checked by `classify`); napi writes at
    // most INLINE_TEXT bytes, NUL included, into `buffer`.
    check(unsafe {
        sys::napi_get_value_string_utf8(text.value().env, text.raw(), buffer.as_mut_ptr().cast(), INLINE_TEXT, &mut len)
    })?;
    // napi truncates at a character boundary, up to 3 bytes before its last
    // usable byte: only a length clear of that zone proves the text is whole.
    Ok((len < INLINE_TEXT - 1 - MAX_UTF8_CHAR).then_some(len))
}

/// Appends a string's UTF-8 to `out` (lone surrogates become U+FFFD, as in `crypto`).
fn read_utf8_into(text: &Unknown<'_>, out: &mut Vec<u8>) -> napi::Result<()> {
    let (env, raw) = (text.value().env, text.raw());
    let mut len = 0usize;
    // SAFETY: a null buffer asks for the length only.
    check(unsafe { sys::napi_get_value_string_utf8(env, raw, std::ptr::null_mut(), 0, &mut len) })?;
    let start = out.len();
    out.resize(start + len + 1, 0);
    let mut written = 0usize;
    // SAFETY: `out[start..]` has room for `len` bytes plus napi's NUL.
    check(unsafe {
        sys::napi_get_value_string_utf8(env, raw, out[start..].as_mut_ptr().cast(), len + 1, &mut written)
    })?;
    out.truncate(start + written);
    Ok(())
}

fn check(status: sys::napi_status) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(Status::from(status), "reading a JavaScript string failed"))
    }
}

fn is_uint8_array(value: &Unknown<'_>) -> Result<bool, Failure> {
    if !value.is_typedarray()? {
        return Ok(false);
    }
    // Other typed arrays (Uint16Array, ...) are refused rather than reinterpreted.
    Ok(unsafe { value.cast::<Uint8ArraySlice<'_>>() }.is_ok())
}

fn describe_type(value_type: ValueType) -> &'static str {
    match value_type {
        ValueType::Undefined => "undefined",
        ValueType::Null => "null",
        ValueType::Boolean => "a boolean",
        ValueType::Number => "a number",
        ValueType::String => "a string",
        ValueType::Symbol => "a symbol",
        ValueType::Object => "an object",
        ValueType::Function => "a function",
        ValueType::External => "an external",
        ValueType::BigInt => "a bigint",
        _ => "an unsupported value",
    }
}

fn describe_number(number: f64) -> String {
    if number.is_nan() {
        "NaN".into()
    } else if number.is_infinite() {
        if number > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        number.to_string()
    }
}
