//! Runs Rust work without Ruby's GVL, so other Ruby threads keep running while
//! a large batch is hashed. A panic is caught here and never crosses into Ruby.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};

struct Call<F, R> {
    work: Option<F>,
    result: Option<std::thread::Result<R>>,
}

unsafe extern "C" fn trampoline<F: FnOnce() -> R, R>(data: *mut c_void) -> *mut c_void {
    // SAFETY: `data` is the `Call` that `nogvl` passed in, alive for the whole call.
    let call = unsafe { &mut *data.cast::<Call<F, R>>() };
    if let Some(work) = call.work.take() {
        call.result = Some(catch_unwind(AssertUnwindSafe(work)));
    }
    std::ptr::null_mut()
}

/// Runs `work` with the GVL released. `work` must not touch Ruby objects.
/// `None` means the work panicked (a bug); the caller raises instead of crashing.
pub fn nogvl<F: FnOnce() -> R + Send, R: Send>(work: F) -> Option<R> {
    let mut call = Call { work: Some(work), result: None };
    // SAFETY: the trampoline matches the data type; no unblocking function is
    // needed because the work is finite and short.
    unsafe {
        rb_sys::rb_thread_call_without_gvl(
            Some(trampoline::<F, R>),
            (&mut call as *mut Call<F, R>).cast(),
            None,
            std::ptr::null_mut(),
        );
    }
    call.result.and_then(Result::ok)
}
