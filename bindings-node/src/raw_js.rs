//! The few raw N-API reads the channel renderers need, each a direct engine
//! call (no JavaScript runs except a getter or Proxy trap of the value itself).

use std::ffi::CStr;

use napi::sys;
use napi::sys::ValueType;

/// A JavaScript value of the current call's env.
pub type Value = sys::napi_value;

/// The env of the current call; values passed to its methods must belong to it.
#[derive(Clone, Copy)]
pub struct Js {
    pub env: sys::napi_env,
}

/// What a value is, as far as the readers care.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Missing,
    Boolean,
    Number,
    String,
    Symbol,
    Object,
    Function,
    BigInt,
    Other,
}

/// Strings up to this many UTF-8 bytes are read with one call.
const FIRST_READ: usize = 256;
/// The longest UTF-8 encoding of one character.
const MAX_UTF8_CHAR: usize = 4;

pub fn check(status: sys::napi_status) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        // A pending exception (a throwing getter) stays pending and reaches the caller as is.
        Err(napi::Error::new(napi::Status::from(status), "a refiner-identity napi call failed"))
    }
}

impl Js {
    pub fn kind(self, value: Value) -> napi::Result<Kind> {
        let mut kind = 0;
        // SAFETY (every raw call below): `self.env` is the live env of the current
        // callback and every value passed in belongs to it; out-pointers are locals.
        check(unsafe { sys::napi_typeof(self.env, value, &mut kind) })?;
        Ok(match kind {
            ValueType::napi_undefined | ValueType::napi_null => Kind::Missing,
            ValueType::napi_boolean => Kind::Boolean,
            ValueType::napi_number => Kind::Number,
            ValueType::napi_string => Kind::String,
            ValueType::napi_symbol => Kind::Symbol,
            ValueType::napi_object => Kind::Object,
            ValueType::napi_function => Kind::Function,
            ValueType::napi_bigint => Kind::BigInt,
            _ => Kind::Other,
        })
    }

    pub fn is_undefined(self, value: Value) -> napi::Result<bool> {
        let mut kind = 0;
        check(unsafe { sys::napi_typeof(self.env, value, &mut kind) })?;
        Ok(kind == ValueType::napi_undefined)
    }

    /// `object[key]`, read once (a getter runs once).
    pub fn get(self, object: Value, key: Value) -> napi::Result<Value> {
        let mut result = std::ptr::null_mut();
        check(unsafe { sys::napi_get_property(self.env, object, key, &mut result) })?;
        Ok(result)
    }

    pub fn get_named(self, object: Value, name: &CStr) -> napi::Result<Value> {
        let mut result = std::ptr::null_mut();
        check(unsafe { sys::napi_get_named_property(self.env, object, name.as_ptr(), &mut result) })?;
        Ok(result)
    }

    pub fn element(self, array: Value, index: u32) -> napi::Result<Value> {
        let mut result = std::ptr::null_mut();
        check(unsafe { sys::napi_get_element(self.env, array, index, &mut result) })?;
        Ok(result)
    }

    pub fn array_length(self, array: Value) -> napi::Result<u32> {
        let mut length = 0;
        check(unsafe { sys::napi_get_array_length(self.env, array, &mut length) })?;
        Ok(length)
    }

    /// A real Array (not a Proxy of one, not an array-like).
    pub fn is_array(self, value: Value) -> napi::Result<bool> {
        let mut result = false;
        check(unsafe { sys::napi_is_array(self.env, value, &mut result) })?;
        Ok(result)
    }

    /// A real Date (its internal slot, not its prototype).
    pub fn is_date(self, value: Value) -> napi::Result<bool> {
        let mut result = false;
        check(unsafe { sys::napi_is_date(self.env, value, &mut result) })?;
        Ok(result)
    }

    /// A Date's time value in milliseconds (the internal slot: no `getTime` or `valueOf` runs).
    pub fn date_millis(self, date: Value) -> napi::Result<f64> {
        let mut result = 0.0;
        check(unsafe { sys::napi_get_date_value(self.env, date, &mut result) })?;
        Ok(result)
    }

    pub fn is_typed_array(self, value: Value) -> napi::Result<bool> {
        let mut result = false;
        check(unsafe { sys::napi_is_typedarray(self.env, value, &mut result) })?;
        Ok(result)
    }

    pub fn number(self, value: Value) -> napi::Result<f64> {
        let mut result = 0.0;
        check(unsafe { sys::napi_get_value_double(self.env, value, &mut result) })?;
        Ok(result)
    }

    /// A bigint's value when it fits an `i64`, else `None`.
    pub fn bigint_i64(self, value: Value) -> napi::Result<Option<i64>> {
        let (mut result, mut lossless) = (0i64, false);
        check(unsafe { sys::napi_get_value_bigint_int64(self.env, value, &mut result, &mut lossless) })?;
        Ok(lossless.then_some(result))
    }

    /// The object's own enumerable string keys, in property order, as an array.
    pub fn own_keys(self, object: Value) -> napi::Result<Value> {
        let mut result = std::ptr::null_mut();
        check(unsafe {
            sys::napi_get_all_property_names(
                self.env,
                object,
                sys::KeyCollectionMode::own_only,
                sys::KeyFilter::enumerable | sys::KeyFilter::skip_symbols,
                sys::KeyConversion::numbers_to_strings,
                &mut result,
            )
        })?;
        Ok(result)
    }

    pub fn prototype(self, object: Value) -> napi::Result<Value> {
        let mut result = std::ptr::null_mut();
        check(unsafe { sys::napi_get_prototype(self.env, object, &mut result) })?;
        Ok(result)
    }

    pub fn same(self, a: Value, b: Value) -> napi::Result<bool> {
        let mut result = false;
        check(unsafe { sys::napi_strict_equals(self.env, a, b, &mut result) })?;
        Ok(result)
    }

    pub fn call(self, function: Value, this: Value, args: &[Value]) -> napi::Result<Value> {
        let mut result = std::ptr::null_mut();
        check(unsafe { sys::napi_call_function(self.env, this, function, args.len(), args.as_ptr(), &mut result) })?;
        Ok(result)
    }

    pub fn undefined(self) -> napi::Result<Value> {
        let mut result = std::ptr::null_mut();
        check(unsafe { sys::napi_get_undefined(self.env, &mut result) })?;
        Ok(result)
    }

    pub fn boolean(self, value: Value) -> napi::Result<bool> {
        let mut result = false;
        check(unsafe { sys::napi_get_value_bool(self.env, value, &mut result) })?;
        Ok(result)
    }

    /// A JavaScript string from Rust text (latin1 when ASCII: no UTF-8 decoding).
    pub fn string(self, text: &str) -> napi::Result<Value> {
        let mut result = std::ptr::null_mut();
        let (pointer, length) = (text.as_ptr().cast(), text.len() as isize);
        check(unsafe {
            if text.is_ascii() {
                sys::napi_create_string_latin1(self.env, pointer, length, &mut result)
            } else {
                sys::napi_create_string_utf8(self.env, pointer, length, &mut result)
            }
        })?;
        Ok(result)
    }

    /// Appends a string's UTF-8 to `out` (lone surrogates become U+FFFD, as for ids).
    pub fn read_text(self, string: Value, out: &mut String) -> napi::Result<()> {
        let start = out.len();
        // SAFETY: napi writes only whole UTF-8 characters (Node's WriteUtf8
        // replaces lone surrogates and never splits a character), and the
        // written bytes are checked again before the String is used; on any
        // failure the vector is cut back to its valid prefix.
        let bytes = unsafe { out.as_mut_vec() };
        bytes.reserve(FIRST_READ);
        let room = bytes.capacity() - start;
        let mut written = 0usize;
        let status = unsafe {
            sys::napi_get_value_string_utf8(self.env, string, bytes.as_mut_ptr().add(start).cast(), room, &mut written)
        };
        // napi stops up to 3 bytes before its last usable byte at a character
        // boundary: only a length clear of that zone proves the text is whole.
        let whole = status == sys::Status::napi_ok && written + 1 + MAX_UTF8_CHAR < room;
        if !whole {
            check(status)?;
            let mut length = 0usize;
            check(unsafe { sys::napi_get_value_string_utf8(self.env, string, std::ptr::null_mut(), 0, &mut length) })?;
            bytes.reserve(length + 1);
            check(unsafe {
                sys::napi_get_value_string_utf8(
                    self.env,
                    string,
                    bytes.as_mut_ptr().add(start).cast(),
                    length + 1,
                    &mut written,
                )
            })?;
        }
        // SAFETY: napi initialised `written` bytes after `start`.
        unsafe { bytes.set_len(start + written) };
        if std::str::from_utf8(&bytes[start..]).is_err() {
            bytes.truncate(start);
            return Err(napi::Error::from_reason("a JavaScript string was not read as UTF-8"));
        }
        Ok(())
    }
}
