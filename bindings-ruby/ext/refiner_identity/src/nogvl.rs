//! Runs Rust work without Ruby's GVL, so other Ruby threads keep running while
//! a large batch is hashed, and so `Thread#raise` (Timeout) and Ctrl-C still
//! reach the calling thread: Ruby calls the unblocking function, which sets a
//! flag the work polls between chunks. A panic is caught here and never
//! crosses into Ruby; an exception Ruby raises (before or after the work) is
//! caught by `protect` and returned, so every Rust value is dropped normally.

use std::ffi::c_void;
use std::os::raw::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

use magnus::rb_sys::protect;
use magnus::{Error, Ruby};

/// Set by Ruby when it wants the calling thread back (an exception to raise,
/// a signal to handle); the work stops at its next check.
pub struct Interrupt(AtomicBool);

impl Interrupt {
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

struct Call<'a, F, R> {
    work: Option<F>,
    // Outside `Call`, so that the `&mut Call` below never covers what `unblock` reads.
    interrupt: &'a Interrupt,
    result: Option<std::thread::Result<R>>,
}

unsafe extern "C" fn trampoline<F: FnOnce(&Interrupt) -> R, R>(data: *mut c_void) -> *mut c_void {
    // SAFETY: `data` is the `Call` that `without_gvl` passed in, alive for the whole call.
    let call = unsafe { &mut *data.cast::<Call<'_, F, R>>() };
    if let Some(work) = call.work.take() {
        let interrupt = call.interrupt;
        call.result = Some(catch_unwind(AssertUnwindSafe(|| work(interrupt))));
    }
    std::ptr::null_mut()
}

unsafe extern "C" fn unblock(data: *mut c_void) {
    // SAFETY: `data` is the `Interrupt` of `without_gvl`, alive while Ruby may call
    // this (Ruby stops calling it before rb_nogvl returns).
    // An atomic store is all it does: async-signal-safe, so Ruby may call it from
    // another thread or, in a single-threaded process, from its signal handler.
    unsafe { &*data.cast::<Interrupt>() }.0.store(true, Ordering::Relaxed);
}

/// Runs `work` with the GVL released; `work` must not touch Ruby objects and
/// should return soon after `Interrupt::requested` turns true.
///
/// Ruby first runs the interrupts already pending, then the work, then those
/// that came meanwhile: an exception they raise (Timeout, Interrupt,
/// Thread#raise) is returned as `Err`. Unless one raised first, the work has
/// run. A panic in `work` (a bug) is a RuntimeError, never a crash.
pub fn without_gvl<F, R>(ruby: &Ruby, work: F) -> Result<R, Error>
where
    F: FnOnce(&Interrupt) -> R + Send,
    R: Send,
{
    let interrupt = Interrupt(AtomicBool::new(false));
    let mut call = Call { work: Some(work), interrupt: &interrupt, result: None };
    let data = (&mut call as *mut Call<'_, F, R>).cast::<c_void>();
    let unblock_data = (&interrupt as *const Interrupt).cast_mut().cast::<c_void>();
    // Without RB_NOGVL_INTR_FAIL, Ruby does not decline to start the work when an
    // interrupt is pending (declining, then retrying, spun forever on an interrupt
    // that raises nothing, e.g. under GC.stress); it runs it first. UBF_ASYNC_SAFE:
    // a single-threaded process then needs no helper thread to deliver signals
    // (Ruby started one per call, about 25 us).
    let flags = rb_sys::RB_NOGVL_UBF_ASYNC_SAFE as c_int;
    // SAFETY: the trampoline matches the data type; `call` and `interrupt`
    // outlive the call. An exception longjmps out of rb_nogvl to `protect`,
    // over no Rust value to drop: `call` lives here and is dropped normally.
    let raised = protect(|| unsafe {
        rb_sys::rb_nogvl(Some(trampoline::<F, R>), data, Some(unblock), unblock_data, flags);
        rb_sys::Qnil as rb_sys::VALUE
    });
    let Call { result, .. } = call;
    raised?;
    match result {
        Some(Ok(value)) => Ok(value),
        // Ruby returned without raising, so it ran the work: `None` cannot happen.
        Some(Err(_)) | None => {
            Err(Error::new(ruby.exception_runtime_error(), "refiner_identity: signing panicked (a bug)"))
        }
    }
}
