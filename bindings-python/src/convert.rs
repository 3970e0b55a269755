//! Python values to core inputs (SPEC.md section 3). Borrowed where Python
//! guarantees immutability (str, bytes), copied otherwise (bytearray).

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyInt, PyString};
use refiner_identity::{IntegerId, UserId};
use zeroize::Zeroizing;

use crate::error::{type_error, InvalidSecretError, InvalidUserIdError};
use crate::integer::hold_integer;

const USER_ID_TYPES: &str = "str, bytes, bytearray or int";

/// A user id converted from Python, borrowing from the Python object where it can.
pub enum HeldUserId<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
    Owned(Vec<u8>),
    Integer(i128),
    BigInteger(String),
}

impl HeldUserId<'_> {
    pub fn as_user_id(&self) -> UserId<'_> {
        match self {
            HeldUserId::Text(text) => UserId::Text(text),
            HeldUserId::Bytes(bytes) => UserId::Bytes(bytes),
            HeldUserId::Owned(bytes) => UserId::Bytes(bytes),
            HeldUserId::Integer(value) => UserId::Integer(*value),
            HeldUserId::BigInteger(decimal) => UserId::BigInteger(decimal),
        }
    }
}

/// Converts one user id; `label` names it in messages ("user_id", "user_ids[3]").
pub fn hold_user_id<'a>(value: &'a Bound<'_, PyAny>, label: &dyn Fn() -> String) -> PyResult<HeldUserId<'a>> {
    if let Ok(text) = value.cast::<PyString>() {
        return text.to_str().map(HeldUserId::Text).map_err(|_| {
            InvalidUserIdError::new_err(format!(
                "{}: this str contains a lone surrogate (such as '\\ud800'), which has no UTF-8 \
                 encoding; Node would silently sign U+FFFD instead, so refiner_identity refuses it. \
                 Pass the intended text, or bytes",
                label()
            ))
        });
    }
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(HeldUserId::Bytes(bytes.as_bytes()));
    }
    if let Ok(bytes) = value.cast::<PyByteArray>() {
        return Ok(HeldUserId::Owned(bytes.to_vec()));
    }
    if value.is_instance_of::<PyBool>() {
        return Err(type_error(format!("{}: user id must be {USER_ID_TYPES}, not bool", label())));
    }
    if let Ok(int) = value.cast::<PyInt>() {
        return hold_integer(int).map(|held| match held {
            IntegerId::Small(small) => HeldUserId::Integer(small),
            IntegerId::Big(decimal) => HeldUserId::BigInteger(decimal),
        });
    }
    Err(type_error(format!("{}: user id must be {USER_ID_TYPES}, not {}", label(), type_name(value))))
}

/// A secret (or signature) as bytes: str (UTF-8) or bytes-like. `what` names it in messages.
/// A copy (from a bytearray, whose buffer may change) is wiped when dropped.
pub enum HeldBytes<'a> {
    Borrowed(&'a [u8]),
    Owned(Zeroizing<Vec<u8>>),
}

impl AsRef<[u8]> for HeldBytes<'_> {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl std::ops::Deref for HeldBytes<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            HeldBytes::Borrowed(bytes) => bytes,
            HeldBytes::Owned(bytes) => bytes,
        }
    }
}

/// Converts a secret: str or bytes/bytearray. Never echoes the value.
pub fn hold_secret<'a>(value: &'a Bound<'_, PyAny>, what: &str) -> PyResult<HeldBytes<'a>> {
    if let Ok(text) = value.cast::<PyString>() {
        return text.to_str().map(|s| HeldBytes::Borrowed(s.as_bytes())).map_err(|_| {
            // A fresh error, not the UnicodeEncodeError: that one carries the whole string.
            InvalidSecretError::new_err(format!("{what} contains a lone surrogate and has no UTF-8 encoding"))
        });
    }
    hold_bytes_like(value).ok_or_else(|| type_error(format!("{what} must be str or bytes, not {}", type_name(value))))
}

/// A signature to verify: str or bytes. Non-ASCII text simply fails to match.
pub fn hold_signature<'a>(value: &'a Bound<'_, PyAny>) -> PyResult<HeldBytes<'a>> {
    if let Ok(text) = value.cast::<PyString>() {
        // A str that is not UTF-8 cannot be a hex signature: compare something that never matches.
        return Ok(text.to_str().map(|s| HeldBytes::Borrowed(s.as_bytes())).unwrap_or(HeldBytes::Borrowed(b"")));
    }
    hold_bytes_like(value)
        .ok_or_else(|| type_error(format!("signature must be str or bytes, not {}", type_name(value))))
}

fn hold_bytes_like<'a>(value: &'a Bound<'_, PyAny>) -> Option<HeldBytes<'a>> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Some(HeldBytes::Borrowed(bytes.as_bytes()));
    }
    value.cast::<PyByteArray>().ok().map(|bytes| HeldBytes::Owned(Zeroizing::new(bytes.to_vec())))
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|name| name.to_string()).unwrap_or_else(|_| "an unknown type".into())
}

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use pyo3::types::PyByteArray;
    use pyo3::Python;

    use super::hold_secret;

    const MARKER: &[u8] = b"binding-copy-of-a-secret-that-must-be-wiped-7c1e";

    /// Counts freed heap blocks that still hold `MARKER`.
    struct Spy;

    static FREED_WITH_MARKER: AtomicUsize = AtomicUsize::new(0);

    // SAFETY: every call is forwarded to `System` unchanged; `dealloc` only reads
    // the block it is handed, which is still allocated and `layout.size()` bytes long.
    unsafe impl GlobalAlloc for Spy {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            unsafe { System.alloc(layout) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            if (MARKER.len()..=4096).contains(&layout.size()) {
                let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
                if block.windows(MARKER.len()).any(|window| window == MARKER) {
                    FREED_WITH_MARKER.fetch_add(1, Ordering::SeqCst);
                }
            }
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    #[global_allocator]
    static SPY: Spy = Spy;

    #[test]
    fn a_secret_copied_from_a_bytearray_is_wiped_on_drop() {
        // The spy must see an unwiped copy, or this test could not fail.
        let before = FREED_WITH_MARKER.load(Ordering::SeqCst);
        drop(std::hint::black_box(MARKER.to_vec()));
        assert_eq!(FREED_WITH_MARKER.load(Ordering::SeqCst), before + 1);

        Python::initialize();
        Python::attach(|py| {
            let secret = PyByteArray::new(py, MARKER);
            let before = FREED_WITH_MARKER.load(Ordering::SeqCst);
            let held = hold_secret(secret.as_any(), "secret");
            assert!(held.as_ref().is_ok_and(|bytes| &**bytes == MARKER));
            drop(held);
            assert_eq!(FREED_WITH_MARKER.load(Ordering::SeqCst), before);
        });
    }
}
