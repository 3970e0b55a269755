//! Ruby values to core inputs (SPEC.md section 3), through the C API only: a
//! String is its raw bytes whatever its encoding or class (exactly like
//! OpenSSL::HMAC), an Integer is its decimal. No conversion method (`to_str`,
//! `to_int`, `to_s`...) is ever called, so no override changes what is signed.

use magnus::encoding::{EncodingCapable, RbEncoding};
use magnus::{prelude::*, Error, RString, Ruby, Value};
use refiner_identity::UserId;
use zeroize::Zeroizing;

use crate::error::{invalid_user_id, type_error};
use crate::integer::{read_integer, IntegerId};

const USER_ID_TYPES: &str = "a String or an Integer";

/// Calls `use_id` with `value` as a core user id, borrowing a String's bytes
/// for the call: `use_id` must not call into Ruby. `label` names the value in
/// a TypeError ("user_id", "user_ids[3]").
pub fn with_user_id<R>(
    ruby: &Ruby,
    value: Value,
    label: &dyn Fn() -> String,
    use_id: impl FnOnce(UserId<'_>) -> R,
) -> Result<R, Error> {
    if let Some(text) = RString::from_value(value) {
        // SAFETY: `use_id` runs no Ruby code, so the bytes can neither move nor change meanwhile.
        return Ok(use_id(UserId::Bytes(unsafe { text.as_slice() })));
    }
    match read_integer(ruby, value) {
        Some(Ok(IntegerId::Small(small))) => Ok(use_id(UserId::Integer(small))),
        Some(Ok(IntegerId::Big(decimal))) => Ok(use_id(UserId::BigInteger(&decimal))),
        Some(Err(error)) => Err(error),
        None => {
            Err(type_error(ruby, format!("{}: user id must be {USER_ID_TYPES}, not {}", label(), class_name(value))))
        }
    }
}

/// For the renderers, before `with_user_id`: they write the signed bytes of a
/// String id as UTF-8 text, so a String in another encoding (UTF-16LE,
/// ISO-8859-1...) would be shown as other text than it holds: refused. A binary
/// String is raw bytes (the core checks they are UTF-8). `index`: in a batch.
pub fn check_rendered_user_id(ruby: &Ruby, value: Value, index: Option<usize>) -> Result<(), Error> {
    let Some(text) = RString::from_value(value) else {
        return Ok(());
    };
    let encoding = text.enc_get();
    if [ruby.utf8_encindex(), ruby.usascii_encindex(), ruby.ascii8bit_encindex()].contains(&encoding) {
        return Ok(());
    }
    let at = index.map(|index| format!(" at index {index}")).unwrap_or_default();
    let name = RbEncoding::from(encoding).name().to_owned();
    Err(invalid_user_id(
        ruby,
        format!(
            "invalid user id{at}: the id is a String in {name}; renderers write the signed bytes as UTF-8 text, \
             so pass the id encoded as UTF-8"
        ),
    ))
}

/// One user id, copied out of Ruby memory.
pub enum HeldUserId {
    Bytes(Vec<u8>),
    Integer(i128),
    BigInteger(String),
}

impl HeldUserId {
    /// Converts one user id; `label` names it in messages ("user_id", "user_ids[3]").
    pub fn read(ruby: &Ruby, value: Value, label: &dyn Fn() -> String) -> Result<Self, Error> {
        with_user_id(ruby, value, label, |user_id| match user_id {
            UserId::Text(text) => HeldUserId::Bytes(text.as_bytes().to_vec()),
            UserId::Bytes(bytes) => HeldUserId::Bytes(bytes.to_vec()),
            UserId::Integer(value) => HeldUserId::Integer(value),
            UserId::BigInteger(decimal) => HeldUserId::BigInteger(decimal.to_owned()),
        })
    }

    pub fn as_user_id(&self) -> UserId<'_> {
        match self {
            HeldUserId::Bytes(bytes) => UserId::Bytes(bytes),
            HeldUserId::Integer(value) => UserId::Integer(*value),
            HeldUserId::BigInteger(decimal) => UserId::BigInteger(decimal),
        }
    }
}

/// A secret: a String, as its bytes, in a copy wiped when dropped. Never echoed.
pub fn secret_bytes(ruby: &Ruby, value: Value, what: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    match RString::from_value(value) {
        // SAFETY: the slice is copied before any other Ruby call could move or free it.
        Some(text) => Ok(Zeroizing::new(unsafe { text.as_slice() }.to_vec())),
        None => Err(type_error(ruby, format!("{what} must be a String, not {}", class_name(value)))),
    }
}

/// A signature to verify: a String, as its bytes.
pub fn signature_bytes(ruby: &Ruby, value: Value) -> Result<Vec<u8>, Error> {
    match RString::from_value(value) {
        // SAFETY: the slice is copied before any other Ruby call could move or free it.
        Some(text) => Ok(unsafe { text.as_slice() }.to_vec()),
        None => Err(type_error(ruby, format!("signature must be a String, not {}", class_name(value)))),
    }
}

/// The class of `value` for messages (`rb_obj_class` and `rb_class2name`: no
/// method call, so a class overriding `name` or `inspect` changes nothing).
pub fn class_name(value: Value) -> String {
    if value.is_nil() {
        return "nil".into();
    }
    // SAFETY: the name is copied into a String immediately.
    unsafe { value.class().name() }.into_owned()
}
