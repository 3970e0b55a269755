//! Raw reads of JavaScript strings as UTF-8, exactly as `crypto`'s
//! `update(string)` encodes them (a lone surrogate becomes U+FFFD). Strings
//! are immutable primitives, so these run no user code.

use napi::bindgen_prelude::{JsValue, Unknown};
use napi::{sys, Status};

/// Strings up to this many UTF-8 bytes are read without a heap allocation.
pub const INLINE_TEXT: usize = 128;
/// The longest UTF-8 encoding of one character.
const MAX_UTF8_CHAR: usize = 4;

/// Reads a short string into `buffer` in one napi call; `None` when it may not fit.
/// `text` must be a string.
pub fn read_utf8_inline(text: &Unknown<'_>, buffer: &mut [u8; INLINE_TEXT]) -> napi::Result<Option<usize>> {
    let mut len = 0usize;
    // SAFETY: `text` is a live value of its env; napi writes at most INLINE_TEXT
    // bytes, its NUL included, into `buffer`, and fails on a non-string.
    check(unsafe {
        sys::napi_get_value_string_utf8(text.value().env, text.raw(), buffer.as_mut_ptr().cast(), INLINE_TEXT, &mut len)
    })?;
    // napi truncates at a character boundary, up to 3 bytes before its last
    // usable byte: only a length clear of that zone proves the text is whole.
    Ok((len < INLINE_TEXT - 1 - MAX_UTF8_CHAR).then_some(len))
}

/// Appends a string's UTF-8 to `out` (one growth: the length is asked first,
/// so an empty `out` is allocated once and never leaves a stale copy behind).
/// `text` must be a string.
pub fn read_utf8_into(text: &Unknown<'_>, out: &mut Vec<u8>) -> napi::Result<()> {
    let (env, raw) = (text.value().env, text.raw());
    let mut len = 0usize;
    // SAFETY: a null buffer asks napi for the length only.
    check(unsafe { sys::napi_get_value_string_utf8(env, raw, std::ptr::null_mut(), 0, &mut len) })?;
    let start = out.len();
    out.resize(start + len + 1, 0);
    let mut written = 0usize;
    // SAFETY: `out[start..]` has room for `len` bytes plus napi's NUL, and the
    // string cannot change between the two calls (strings are immutable).
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
