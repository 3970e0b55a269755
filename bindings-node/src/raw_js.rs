//! The few raw N-API reads the channel renderers need, each a direct engine
//! call (no JavaScript runs except a getter or Proxy trap of the value itself).

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
/// V8's longest string on 64-bit platforms, in UTF-16 code units (`String::kMaxLength`).
const MAX_STRING_LENGTH: usize = (1 << 29) - 24;
/// Below this many UTF-8 bytes no text can reach that length.
const MAX_STRING_BYTES: usize = MAX_STRING_LENGTH;
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

    pub fn call(self, function: Value, this: Value, args: &[Value]) -> napi::Result<Value> {
        let mut result = std::ptr::null_mut();
        check(unsafe { sys::napi_call_function(self.env, this, function, args.len(), args.as_ptr(), &mut result) })?;
        Ok(result)
    }

    /// A number argument as a u32 (napi converts any number; others fail).
    pub fn get_u32(self, value: Value) -> napi::Result<u32> {
        let mut result = 0;
        check(unsafe { sys::napi_get_value_uint32(self.env, value, &mut result) })?;
        Ok(result)
    }

    pub fn uint32(self, value: u32) -> napi::Result<Value> {
        let mut result = std::ptr::null_mut();
        check(unsafe { sys::napi_create_uint32(self.env, value, &mut result) })?;
        Ok(result)
    }

    pub fn undefined(self) -> napi::Result<Value> {
        let mut result = std::ptr::null_mut();
        check(unsafe { sys::napi_get_undefined(self.env, &mut result) })?;
        Ok(result)
    }

    /// A JavaScript string from Rust text (latin1 when ASCII: no UTF-8 decoding).
    pub fn string(self, text: &str) -> napi::Result<Value> {
        if text.len() > MAX_STRING_BYTES && text.chars().map(char::len_utf16).sum::<usize>() > MAX_STRING_LENGTH {
            return Err(napi::Error::new(
                napi::Status::GenericFailure,
                format!(
                    "refiner-identity: the rendered text ({} bytes) is longer than the longest JavaScript string",
                    text.len()
                ),
            ));
        }
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

    /// What a value is, for messages ("a number", "an array").
    pub fn type_name(self, value: Value) -> napi::Result<&'static str> {
        Ok(match self.kind(value)? {
            Kind::Missing => "null or undefined",
            Kind::Boolean => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Symbol => "a symbol",
            Kind::Function => "a function",
            Kind::BigInt => "a bigint",
            Kind::Object if self.is_array(value)? => "an array",
            Kind::Object => "an object",
            Kind::Other => "an unsupported value",
        })
    }

    /// Copies the used part of a Float64Array (its length in element 0) into `out`.
    pub fn read_f64_array(self, array: Value, out: &mut Vec<f64>) -> napi::Result<()> {
        let (mut kind, mut length, mut data) = (0, 0usize, std::ptr::null_mut());
        let (mut buffer, mut offset) = (std::ptr::null_mut(), 0usize);
        check(unsafe {
            sys::napi_get_typedarray_info(self.env, array, &mut kind, &mut length, &mut data, &mut buffer, &mut offset)
        })?;
        if kind != sys::TypedarrayType::float64_array || data.is_null() || length == 0 {
            return Err(napi::Error::from_reason("refiner-identity: expected a Float64Array (a bug)"));
        }
        // SAFETY: napi reports `length` f64 elements at `data`, aligned as a
        // Float64Array must be; no JavaScript runs while they are copied.
        let all = unsafe { std::slice::from_raw_parts(data.cast::<f64>(), length) };
        let used = (all[0] as usize).min(length);
        out.clear();
        out.extend_from_slice(&all[..used]);
        Ok(())
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
