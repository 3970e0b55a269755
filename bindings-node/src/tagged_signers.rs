//! The `Signer` instances of this thread whose type tag has been checked.
//! `napi_check_object_type_tag` costs about a sixth of a `Signer.prototype.sign`
//! call (a private-property lookup behind a full N-API preamble), so fast.rs
//! checks a receiver's tag once and then knows it by its wrapped pointer.
//!
//! An entry must leave the list before its `Signer`'s box can be reused, or
//! another addon's object wrapped at that address would pass for a `Signer`.
//! napi-rs's finalizer moves the `Signer` out of its box before dropping it,
//! so `Drop` cannot name the box; each entry therefore also records the
//! address of the `Signer`'s core (`Arc::as_ptr`, the same wherever the
//! `Signer` moves), and `Drop` forgets the entries of its core. The finalizer
//! runs on this thread, before any JavaScript that could wrap a new object.

use std::cell::RefCell;

use napi::{sys, Env};

/// Receivers remembered per thread; past this many, the rest are tag-checked on every call.
const CAPACITY: usize = 16;

/// A tag-checked receiver: its wrapped pointer, and the address of its core.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Entry {
    wrapped: usize,
    core: usize,
}

thread_local! {
    static TAGGED: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// True iff `wrapped` is the wrapped pointer of a live `Signer` already tag-checked here.
pub fn contains(wrapped: usize) -> bool {
    TAGGED.try_with(|tagged| tagged.borrow().iter().any(|entry| entry.wrapped == wrapped)).unwrap_or(false)
}

/// Remembers a receiver that has just passed the tag check (`core`: its `Arc::as_ptr`).
pub fn remember(wrapped: usize, core: usize) {
    let _ = TAGGED.try_with(|tagged| {
        let mut tagged = tagged.borrow_mut();
        if tagged.len() < CAPACITY && !tagged.iter().any(|entry| entry.wrapped == wrapped) {
            tagged.push(Entry { wrapped, core });
        }
    });
}

/// Forgets every receiver whose core is `core` (a `Signer` being dropped).
/// During thread exit the list may already be gone, and with it every entry.
pub fn forget(core: usize) {
    let _ = TAGGED.try_with(|tagged| tagged.borrow_mut().retain(|entry| entry.core != core));
}

/// How many receivers this thread remembers.
fn count() -> usize {
    TAGGED.try_with(|tagged| tagged.borrow().len()).unwrap_or(0)
}

/// The environment variable that, set to `1` when the module loads, adds
/// `__taggedSignerCount()` to the native exports (for __test__/receivers.test.mjs).
const TEST_HOOKS_ENV: &str = "REFINER_IDENTITY_TEST_HOOKS";

/// Adds the test hook to `exports` when asked for.
pub fn install_test_hook(env: &Env, exports: &mut napi::bindgen_prelude::Object) -> napi::Result<()> {
    use napi::bindgen_prelude::JsObjectValue;
    if std::env::var_os(TEST_HOOKS_ENV).is_none_or(|value| value != "1") {
        return Ok(());
    }
    let name = "__taggedSignerCount";
    exports.set_named_property(name, crate::fast::raw_function(env, name, Some(count_callback))?)
}

/// # Safety
/// Only N-API calls it, as the callback of the function `install_test_hook` made.
unsafe extern "C" fn count_callback(env: sys::napi_env, _info: sys::napi_callback_info) -> sys::napi_value {
    let mut value = std::ptr::null_mut();
    // SAFETY: `env` is this callback's env; `value` is a local out-pointer.
    // On failure `value` stays null, which N-API returns as undefined.
    unsafe { sys::napi_create_uint32(env, count() as u32, &mut value) };
    value
}
