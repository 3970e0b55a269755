//! Runs Rust work without Ruby's GVL, so other Ruby threads keep running while
//! a large batch is hashed, and so `Thread#raise` (Timeout) and Ctrl-C still
//! reach the calling thread: Ruby calls the unblocking function, which sets a
//! flag the work polls between chunks. A panic is caught here and never
//! crosses into Ruby; a pending exception is raised only after the work has
//! returned and every Rust value is dropped normally.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

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
    // this (Ruby stops calling it before rb_thread_call_without_gvl2 returns).
    // An atomic store is all it does: Ruby calls it from another thread.
    unsafe { &*data.cast::<Interrupt>() }.0.store(true, Ordering::Relaxed);
}

/// Runs `work` with the GVL released; `work` must not touch Ruby objects and
/// should return soon after `Interrupt::requested` turns true.
///
/// Afterwards Ruby's pending interrupts run: an exception they raise (Timeout,
/// Interrupt, Thread#raise) is returned as `Err`. `Ok(None)` means Ruby had an
/// interrupt pending and did not start the work, but nothing was raised: call
/// again. A panic in `work` (a bug) is a RuntimeError, never a crash.
pub fn without_gvl<F, R>(ruby: &Ruby, work: F) -> Result<Option<R>, Error>
where
    F: FnOnce(&Interrupt) -> R + Send,
    R: Send,
{
    let interrupt = Interrupt(AtomicBool::new(false));
    let mut call = Call { work: Some(work), interrupt: &interrupt, result: None };
    // SAFETY: the trampoline matches the data type; `call` and `interrupt`
    // outlive the call. The `2` variant never raises (no longjmp over these
    // frames): it returns, and pending interrupts run below under `protect`.
    unsafe {
        rb_sys::rb_thread_call_without_gvl2(
            Some(trampoline::<F, R>),
            (&mut call as *mut Call<'_, F, R>).cast(),
            Some(unblock),
            (&interrupt as *const Interrupt).cast_mut().cast(),
        );
    }
    let Call { result, .. } = call;
    // Runs what Ruby queued meanwhile (Timeout's Thread#raise, a signal handler).
    ruby.thread_check_ints()?;
    match result {
        None => Ok(None),
        Some(Ok(value)) => Ok(Some(value)),
        Some(Err(_)) => Err(Error::new(ruby.exception_runtime_error(), "refiner_identity: signing panicked (a bug)")),
    }
}
