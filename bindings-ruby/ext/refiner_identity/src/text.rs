//! Ruby Strings as the UTF-8 text a renderer writes (SPEC.md section 9): a
//! String must be valid in its encoding and is transcoded to UTF-8. (A user id
//! is different: its raw bytes are signed, see convert.rs.)

use std::ffi::CStr;
use std::ops::Range;

use magnus::encoding::{Coderange, EncodingCapable, RbEncoding};
use magnus::rb_sys::{protect, AsRawValue, FromRawValue};
use magnus::{prelude::*, RString, Ruby, Value};

/// Why a value is not usable text.
pub enum TextProblem {
    /// Not a String (the host type name).
    NotString(String),
    /// A String whose bytes are not valid in its own encoding.
    Invalid(String),
    /// A valid String with no UTF-8 form (binary data, or an encoding without a Unicode mapping).
    NoUtf8(String),
}

impl TextProblem {
    /// What the value was, for the core's "not ..." messages.
    pub fn describe(self) -> String {
        match self {
            TextProblem::NotString(type_name) => type_name,
            TextProblem::Invalid(encoding) => format!("a String with bytes that are not valid {encoding}"),
            TextProblem::NoUtf8(encoding) => format!("a String in {encoding} that cannot be converted to UTF-8"),
        }
    }
}

/// Appends `value`'s text as UTF-8 to `out` and returns where it went.
pub fn push_text(ruby: &Ruby, value: Value, out: &mut String) -> Result<Range<usize>, TextProblem> {
    let Some(text) = RString::from_value(value) else {
        return Err(TextProblem::NotString(type_name(value)));
    };
    let start = out.len();
    let index = text.enc_get();
    let is_utf8 = index == ruby.utf8_encindex();
    if is_utf8 || index == ruby.usascii_encindex() || index == ruby.ascii8bit_encindex() {
        // SAFETY: the bytes are copied into `out` before any other Ruby call.
        let bytes = unsafe { text.as_slice() };
        match std::str::from_utf8(bytes) {
            Ok(valid) if is_utf8 || valid.is_ascii() => out.push_str(valid),
            // US-ASCII above 0x7f is broken; binary above 0x7f has no UTF-8 form.
            _ if index == ruby.ascii8bit_encindex() => return Err(TextProblem::NoUtf8(encoding_name(text))),
            _ => return Err(TextProblem::Invalid(encoding_name(text))),
        }
        return Ok(start..out.len());
    }
    let Some(converted) = to_utf8(ruby, text) else {
        return Err(match text.enc_coderange_scan() {
            Coderange::Broken => TextProblem::Invalid(encoding_name(text)),
            _ => TextProblem::NoUtf8(encoding_name(text)),
        });
    };
    // SAFETY: as above; `converted` is a fresh String nobody else holds.
    let bytes = unsafe { converted.as_slice() };
    out.push_str(std::str::from_utf8(bytes).map_err(|_| TextProblem::Invalid(encoding_name(text)))?);
    Ok(start..out.len())
}

/// `rb_str_encode` to UTF-8 (C, no method dispatch); `None` if Ruby cannot convert it.
fn to_utf8(ruby: &Ruby, text: RString) -> Option<RString> {
    let utf8 = magnus::encoding::Encoding::from(ruby.utf8_encoding());
    let nil = ruby.qnil().as_raw();
    // SAFETY: plain C call on live values; `protect` turns a raised
    // Encoding::UndefinedConversionError / InvalidByteSequenceError into Err.
    let converted = protect(|| unsafe { rb_sys::rb_str_encode(text.as_raw(), utf8.as_raw(), 0, nil) }).ok()?;
    // SAFETY: `converted` was just returned by Ruby and is live on this stack.
    RString::from_value(unsafe { Value::from_raw(converted) })
}

fn encoding_name(text: RString) -> String {
    RbEncoding::from(text.enc_get()).name().to_owned()
}

/// The host type name shown in messages: `nil`, `true`, `false` or the class name,
/// read through the C API (a class cannot fake it by overriding `name`).
pub fn type_name(value: Value) -> String {
    let ruby = Ruby::get_with(value);
    for (special, name) in
        [(ruby.qnil().as_value(), "nil"), (ruby.qtrue().as_value(), "true"), (ruby.qfalse().as_value(), "false")]
    {
        if value.as_raw() == special.as_raw() {
            return name.into();
        }
    }
    // SAFETY: rb_obj_classname returns a NUL-terminated name that lives as long as the class; copied at once.
    unsafe { CStr::from_ptr(rb_sys::rb_obj_classname(value.as_raw())) }.to_string_lossy().into_owned()
}
