//! Uint8Arrays (Buffers and subclasses included) read through napi's typed
//! array info, never through methods or getters a subclass could override.

use std::sync::atomic::{AtomicU8, Ordering};

use napi::bindgen_prelude::{JsValue, Unknown};
use napi::{sys, Status};
use zeroize::Zeroizing;

use crate::error::Failure;

/// The bytes of a Uint8Array, as they are at the moment of reading.
pub enum ByteView<'a> {
    /// Memory of a non-shared ArrayBuffer: no other thread can write it, and
    /// the holder keeps it only while no JavaScript runs.
    Borrowed(&'a [u8]),
    /// A copy of memory another thread may write (SharedArrayBuffer), read
    /// once; wiped on drop, as it may be a secret.
    Copied(Zeroizing<Vec<u8>>),
}

impl AsRef<[u8]> for ByteView<'_> {
    fn as_ref(&self) -> &[u8] {
        match self {
            ByteView::Borrowed(bytes) => bytes,
            ByteView::Copied(bytes) => bytes,
        }
    }
}

/// The bytes of `value` if it is a Uint8Array, `None` for anything else
/// (other typed arrays are refused by the callers rather than reinterpreted).
/// The borrowed form must not be held across a call that can run JavaScript
/// (a getter could detach or shrink its buffer).
pub fn read_uint8_array<'a>(value: &Unknown<'a>, what: &dyn Fn() -> String) -> Result<Option<ByteView<'a>>, Failure> {
    let env = value.value().env;
    let mut is_typed_array = false;
    // SAFETY: `value` is a live value of `env`.
    check(unsafe { sys::napi_is_typedarray(env, value.raw(), &mut is_typed_array) })?;
    if !is_typed_array {
        return Ok(None);
    }
    let (mut kind, mut len, mut data, mut buffer, mut offset) =
        (0, 0usize, std::ptr::null_mut(), std::ptr::null_mut(), 0usize);
    // SAFETY: `value` is a typed array of `env`; every out-pointer is a local.
    check(unsafe {
        sys::napi_get_typedarray_info(env, value.raw(), &mut kind, &mut len, &mut data, &mut buffer, &mut offset)
    })?;
    if kind != sys::TypedarrayType::uint8_array {
        return Ok(None);
    }
    if len == 0 || data.is_null() {
        let mut detached = false;
        // SAFETY: `buffer` is the typed array's buffer, a live value of `env`.
        check(unsafe { sys::napi_is_detached_arraybuffer(env, buffer, &mut detached) })?;
        if detached {
            return Err(Failure::WrongType(format!(
                "{}: the Uint8Array's ArrayBuffer is detached (transferred), so it holds no bytes",
                what()
            )));
        }
        return Ok(Some(ByteView::Borrowed(&[])));
    }
    let mut is_plain_buffer = false;
    // SAFETY: as above; a SharedArrayBuffer answers false.
    check(unsafe { sys::napi_is_arraybuffer(env, buffer, &mut is_plain_buffer) })?;
    let data = data.cast::<u8>();
    if is_plain_buffer {
        // SAFETY: napi gives the view's first byte and its length in bytes (one
        // byte per element for a Uint8Array); a non-shared buffer's memory is
        // written only by this thread's JavaScript, which the caller does not
        // run while it holds the slice, and the value's handle keeps it alive.
        Ok(Some(ByteView::Borrowed(unsafe { std::slice::from_raw_parts(data, len) })))
    } else {
        // Another thread may write a SharedArrayBuffer at any moment: read each
        // byte once, atomically, and sign that copy.
        let copy = (0..len)
            // SAFETY: `data..data + len` is the view's memory (valid and kept alive
            // as above); u8 needs no alignment; JavaScript's other accesses to
            // shared memory are themselves atomic-or-racy by its memory model.
            .map(|index| unsafe { AtomicU8::from_ptr(data.add(index)) }.load(Ordering::Relaxed))
            .collect::<Vec<u8>>();
        Ok(Some(ByteView::Copied(Zeroizing::new(copy))))
    }
}

fn check(status: sys::napi_status) -> Result<(), Failure> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Failure::Napi(napi::Error::new(Status::from(status), "reading a Uint8Array failed")))
    }
}
