//! One JavaScript value as a user id (SPEC.md section 3): a string (its UTF-8,
//! as `crypto` encodes it), a Uint8Array (its bytes), a safe-integer number or
//! a bigint (their decimal). Every read goes through napi on the value itself
//! (type tag, typed array info, primitive contents), so no getter, override or
//! patched built-in takes part.

use napi::bindgen_prelude::{JsValue, Unknown, ValueType};
use refiner_identity::UserId;

use crate::bytes::{read_uint8_array, ByteView};
use crate::error::Failure;
use crate::text::{read_utf8_inline, read_utf8_into, INLINE_TEXT};

const USER_ID_TYPES: &str = "a string, a Uint8Array (or Buffer), a safe-integer number or a bigint";
/// Number.MAX_SAFE_INTEGER: beyond it a number has already lost digits.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A user id as JavaScript gave it; strings are not read yet.
pub enum Classified<'a> {
    Text(Unknown<'a>),
    Bytes(ByteView<'a>),
    Integer(i128),
    BigInteger(String),
}

/// Sorts a value into the accepted kinds, or a `TypeError` naming `label()`.
pub fn classify<'a>(value: Unknown<'a>, label: &dyn Fn() -> String) -> Result<Classified<'a>, Failure> {
    let value_type = value.get_type()?;
    match value_type {
        ValueType::String => Ok(Classified::Text(value)),
        ValueType::Number => {
            // SAFETY: a number, as checked just above, converts to f64.
            let number = unsafe { value.cast::<f64>() }?;
            if number.is_finite() && number.trunc() == number && number.abs() <= MAX_SAFE_INTEGER {
                // Exact: an integer of at most 53 bits.
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
            // ToString of a bigint primitive is its canonical decimal (no method
            // lookup); the core checks it again.
            let decimal = value.coerce_to_string()?.into_utf8()?.as_str()?.to_owned();
            Ok(match decimal.parse::<i128>() {
                Ok(small) => Classified::Integer(small),
                Err(_) => Classified::BigInteger(decimal),
            })
        }
        ValueType::Object => match read_uint8_array(&value, label)? {
            Some(bytes) => Ok(Classified::Bytes(bytes)),
            None => Err(wrong_type(label, value_type)),
        },
        _ => Err(wrong_type(label, value_type)),
    }
}

fn wrong_type(label: &dyn Fn() -> String, value_type: ValueType) -> Failure {
    Failure::WrongType(format!("{}: user id must be {USER_ID_TYPES}; received {}", label(), describe_type(value_type)))
}

/// One user id, converted for a single call; short strings stay on the stack.
pub struct HeldUserId<'a> {
    held: Held<'a>,
    inline: [u8; INLINE_TEXT],
}

enum Held<'a> {
    Inline(usize),
    Text(Vec<u8>),
    Bytes(ByteView<'a>),
    Integer(i128),
    BigInteger(String),
}

impl<'a> HeldUserId<'a> {
    /// Reads `value` once. A borrowed Uint8Array must be signed before any
    /// JavaScript runs again (see `ByteView`).
    pub fn read(value: Unknown<'a>, label: &dyn Fn() -> String) -> Result<Self, Failure> {
        let mut inline = [0; INLINE_TEXT];
        let held = match classify(value, label)? {
            Classified::Text(text) => match read_utf8_inline(&text, &mut inline)? {
                Some(len) => Held::Inline(len),
                None => {
                    let mut bytes = Vec::new();
                    read_utf8_into(&text, &mut bytes)?;
                    Held::Text(bytes)
                }
            },
            Classified::Bytes(bytes) => Held::Bytes(bytes),
            Classified::Integer(value) => Held::Integer(value),
            Classified::BigInteger(decimal) => Held::BigInteger(decimal),
        };
        Ok(HeldUserId { held, inline })
    }

    pub fn as_user_id(&self) -> UserId<'_> {
        match &self.held {
            // Node already made the text valid UTF-8; its bytes are what gets signed.
            Held::Inline(len) => UserId::Bytes(&self.inline[..*len]),
            Held::Text(text) => UserId::Bytes(text),
            Held::Bytes(bytes) => UserId::Bytes(bytes.as_ref()),
            Held::Integer(value) => UserId::Integer(*value),
            Held::BigInteger(decimal) => UserId::BigInteger(decimal),
        }
    }
}

pub fn describe_type(value_type: ValueType) -> &'static str {
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

/// A number as a message shows it: like JavaScript for NaN and the
/// infinities, in exponent form when its decimal would be long.
pub fn describe_number(number: f64) -> String {
    if number.is_nan() {
        "NaN".into()
    } else if number.is_infinite() {
        if number > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if number != 0.0 && !(1e-6..1e21).contains(&number.abs()) {
        format!("{number:e}")
    } else {
        number.to_string()
    }
}
