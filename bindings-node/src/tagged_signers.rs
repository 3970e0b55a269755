//! The `Signer` instances of this thread whose type tag has been checked.
//! `napi_check_object_type_tag` costs about a sixth of a `Signer.prototype.sign`
//! call (a private-property lookup behind a full N-API preamble), so fast.rs
//! checks a receiver's tag once and then knows it by its wrapped pointer.
//! A pointer leaves the list when its `Signer` is dropped (napi-rs's
//! finalizer, on this thread), before its memory can hold anything else.

use std::cell::RefCell;

/// Receivers remembered per thread; past this many, the rest are tag-checked on every call.
const CAPACITY: usize = 16;

thread_local! {
    static TAGGED: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// True iff `pointer` is the wrapped pointer of a live `Signer` already tag-checked here.
pub fn contains(pointer: usize) -> bool {
    TAGGED.try_with(|tagged| tagged.borrow().contains(&pointer)).unwrap_or(false)
}

/// Remembers a wrapped pointer whose instance has just passed the tag check.
pub fn remember(pointer: usize) {
    let _ = TAGGED.try_with(|tagged| {
        let mut tagged = tagged.borrow_mut();
        if tagged.len() < CAPACITY && !tagged.contains(&pointer) {
            tagged.push(pointer);
        }
    });
}

/// Forgets a `Signer` being dropped (its address is the wrapped pointer).
/// During thread exit the list may already be gone, and with it every entry.
pub fn forget(pointer: usize) {
    let _ = TAGGED.try_with(|tagged| tagged.borrow_mut().retain(|&known| known != pointer));
}
