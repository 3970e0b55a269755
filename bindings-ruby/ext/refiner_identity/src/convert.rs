//! Ruby values to core inputs (SPEC.md section 3). A String is its raw bytes
//! whatever its encoding, exactly like OpenSSL::HMAC; an Integer is its decimal.

use magnus::{prelude::*, Error, Integer, RArray, RString, Ruby, Value};
use refiner_identity::{UserId, UserIdBatch};

use crate::error::type_error;

const USER_ID_TYPES: &str = "a String or an Integer";

/// One user id, copied out of Ruby memory.
pub enum HeldUserId {
    Bytes(Vec<u8>),
    Integer(i128),
    BigInteger(String),
}

impl HeldUserId {
    /// Converts one user id; `label` names it in messages ("user_id", "user_ids[3]").
    pub fn read(ruby: &Ruby, value: Value, label: &dyn Fn() -> String) -> Result<Self, Error> {
        if let Some(text) = RString::from_value(value) {
            return Ok(HeldUserId::Bytes(string_bytes(text)));
        }
        match integer_id(ruby, value, label)? {
            (Some(small), _) => Ok(HeldUserId::Integer(small)),
            (None, decimal) => Ok(HeldUserId::BigInteger(decimal)),
        }
    }

    pub fn as_user_id(&self) -> UserId<'_> {
        match self {
            HeldUserId::Bytes(bytes) => UserId::Bytes(bytes),
            HeldUserId::Integer(value) => UserId::Integer(*value),
            HeldUserId::BigInteger(decimal) => UserId::BigInteger(decimal),
        }
    }
}

/// Reads an Array of user ids into the core's owned batch (one buffer for all
/// bytes), so hashing can run without the GVL.
pub fn read_batch(ruby: &Ruby, array: RArray) -> Result<UserIdBatch, Error> {
    let mut batch = UserIdBatch::with_capacity(array.len());
    for (index, value) in array.into_iter().enumerate() {
        if let Some(text) = RString::from_value(value) {
            // SAFETY: copied into the batch before any other Ruby call.
            batch.push_bytes(unsafe { text.as_slice() });
            continue;
        }
        match integer_id(ruby, value, &|| format!("user_ids[{index}]"))? {
            (Some(small), _) => batch.push_integer(small),
            (None, decimal) => batch.push_big_integer(&decimal),
        }
    }
    Ok(batch)
}

/// An Integer user id: `(Some(value), _)` when it fits i128, else its decimal
/// (Integer#to_s, canonical; the core checks it). Anything else is a TypeError.
fn integer_id(ruby: &Ruby, value: Value, label: &dyn Fn() -> String) -> Result<(Option<i128>, String), Error> {
    let Some(integer) = Integer::from_value(value) else {
        return Err(type_error(
            ruby,
            format!("{}: user id must be {USER_ID_TYPES}, not {}", label(), class_name(value)),
        ));
    };
    if let Ok(small) = integer.to_i64() {
        return Ok((Some(i128::from(small)), String::new()));
    }
    let decimal: String = integer.funcall("to_s", ())?;
    Ok((decimal.parse::<i128>().ok(), decimal))
}

/// A secret: a String, as its bytes. Never echoed.
pub fn secret_bytes(ruby: &Ruby, value: Value, what: &str) -> Result<Vec<u8>, Error> {
    match RString::from_value(value) {
        Some(text) => Ok(string_bytes(text)),
        None => Err(type_error(ruby, format!("{what} must be a String, not {}", class_name(value)))),
    }
}

/// A signature to verify: a String.
pub fn signature_bytes(ruby: &Ruby, value: Value) -> Result<Vec<u8>, Error> {
    secret_bytes(ruby, value, "signature")
}

fn string_bytes(text: RString) -> Vec<u8> {
    // SAFETY: the slice is copied before any other Ruby call could move or free it.
    unsafe { text.as_slice() }.to_vec()
}

fn class_name(value: Value) -> String {
    if value.is_nil() {
        return "nil".into();
    }
    // SAFETY: the name is copied into a String immediately.
    unsafe { value.class().name() }.into_owned()
}
