//! `sign_many`'s signing: a helper thread signs the chunks in order (each with
//! `Signer::sign_batch`, on all cores) while the Ruby thread, holding the GVL,
//! turns the previous chunk into Ruby strings. Waiting for a chunk releases
//! the GVL and gives way to interrupts (Timeout, Ctrl-C): the helper stops
//! after its current chunk and is joined before the exception is raised.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use magnus::rb_sys::{protect, AsRawValue};
use magnus::{Error, RArray, Ruby};
use refiner_identity::{Signature, Signer};

use crate::batch::Chunk;
use crate::error::to_ruby;
use crate::nogvl::{without_gvl, Interrupt};

/// How often a wait for the next chunk looks at the interrupt flag.
const POLL: Duration = Duration::from_millis(2);

type Signed = Result<Vec<Signature>, refiner_identity::Error>;

/// Appends the signatures of every chunk to `result`, in order.
pub fn sign_into(ruby: &Ruby, signer: &Signer, chunks: &[Chunk], result: RArray) -> Result<(), Error> {
    if chunks.len() < 2 {
        // Nothing to overlap: no thread to start.
        return sign_here(ruby, signer, chunks, result);
    }
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        // Capacity 1: at most one signed chunk waits while the next is signed.
        let (sender, mut receiver) = sync_channel::<Signed>(1);
        let stop = &stop;
        let helper = std::thread::Builder::new().name("refiner-identity-ruby".into()).spawn_scoped(scope, move || {
            // A panic (a bug) closes the channel; the Ruby thread raises for it.
            let _ = catch_unwind(AssertUnwindSafe(|| {
                for chunk in chunks {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let signed = signer.sign_batch(&chunk.ids).map_err(|e| e.offset_index(chunk.offset));
                    let failed = signed.is_err();
                    // A closed channel means the Ruby thread stopped (an exception).
                    if sender.send(signed).is_err() || failed {
                        break;
                    }
                }
            }));
        });
        if helper.is_err() {
            return sign_here(ruby, signer, chunks, result);
        }
        let outcome = chunks.iter().try_for_each(|_| {
            let signed = next_chunk(ruby, &mut receiver)?;
            push_strings(result, &signed.map_err(|e| to_ruby(ruby, e))?)?;
            // Building strings holds the GVL: let an interrupt in between chunks.
            ruby.thread_check_ints()
        });
        // On an error the helper finishes its chunk, sees the flag or the
        // closed channel, and is joined when the scope ends.
        stop.store(true, Ordering::Relaxed);
        drop(receiver);
        outcome
    })
}

enum Wait {
    Signed(Signed),
    Interrupted,
    /// The helper ended without sending every chunk: it panicked.
    Closed,
}

/// The next signed chunk, waited for without the GVL.
fn next_chunk(ruby: &Ruby, receiver: &mut Receiver<Signed>) -> Result<Signed, Error> {
    loop {
        let receiver = &mut *receiver; // moved in whole: a Receiver is Send, not Sync
        let waited = without_gvl(ruby, move |interrupt: &Interrupt| loop {
            match receiver.recv_timeout(POLL) {
                Ok(signed) => return Wait::Signed(signed),
                Err(RecvTimeoutError::Disconnected) => return Wait::Closed,
                Err(RecvTimeoutError::Timeout) if interrupt.requested() => return Wait::Interrupted,
                Err(RecvTimeoutError::Timeout) => {}
            }
        })?;
        match waited {
            Some(Wait::Signed(signed)) => return Ok(signed),
            Some(Wait::Closed) => {
                return Err(Error::new(ruby.exception_runtime_error(), "refiner_identity: signing panicked (a bug)"))
            }
            // Woken without an exception (a signal handler returned): wait on.
            Some(Wait::Interrupted) | None => {}
        }
    }
}

/// Signs each chunk on the calling thread, without the GVL, and appends its strings.
fn sign_here(ruby: &Ruby, signer: &Signer, chunks: &[Chunk], result: RArray) -> Result<(), Error> {
    for chunk in chunks {
        let signed = loop {
            let signed = without_gvl(ruby, |_: &Interrupt| {
                signer.sign_batch(&chunk.ids).map_err(|e| e.offset_index(chunk.offset))
            })?;
            if let Some(signed) = signed {
                break signed;
            }
        };
        push_strings(result, &signed.map_err(|e| to_ruby(ruby, e))?)?;
        ruby.thread_check_ints()?;
    }
    Ok(())
}

/// Appends one Ruby String per signature.
fn push_strings(result: RArray, signatures: &[Signature]) -> Result<(), Error> {
    protect(|| {
        for signature in signatures {
            let bytes = signature.as_bytes();
            // SAFETY: `result` is a live Array and `bytes` 64 readable bytes. An
            // exception (NoMemoryError) unwinds to `protect`, over nothing to drop.
            unsafe { rb_sys::rb_ary_push(result.as_raw(), rb_sys::rb_str_new(bytes.as_ptr().cast(), 64)) };
        }
        rb_sys::Qnil as rb_sys::VALUE
    })?;
    Ok(())
}
