//! `sign_many`'s signing on the core's batch engine: the chunks are hashed on
//! all cores while this thread, holding the GVL, turns the previous chunk into
//! Ruby strings. Each wait for a chunk releases the GVL (other Ruby threads
//! run) and gives way to interrupts (Timeout's Thread#raise, Ctrl-C): the
//! exception cancels the batch through the engine, which stops after the
//! chunk it is hashing; it is raised once every Rust value is dropped.

use std::time::Duration;

use magnus::rb_sys::{protect, AsRawValue};
use magnus::{Error, RArray, Ruby};
use refiner_identity::{NextChunk, Signature, Signer, UserIdBatch};

use crate::error::to_ruby;
use crate::nogvl::{without_gvl, Interrupt};

/// Ids per chunk: a few milliseconds of hashing, the longest an interrupt waits.
const CHUNK_IDS: usize = 32 * 1024;
/// Bytes per chunk, so that long ids make short chunks too.
const CHUNK_BYTES: usize = 4 << 20;
/// How often a wait for the next chunk looks at the interrupt flag.
const POLL: Duration = Duration::from_millis(2);

/// Why a batch stopped: a bad id (named by the core) or an exception.
enum Stop {
    Core(refiner_identity::Error),
    Ruby(Error),
}

impl From<refiner_identity::Error> for Stop {
    fn from(error: refiner_identity::Error) -> Self {
        Stop::Core(error)
    }
}

impl From<Error> for Stop {
    fn from(error: Error) -> Self {
        Stop::Ruby(error)
    }
}

/// Appends the signatures of `batch` to `result`, in order.
pub fn sign_into(ruby: &Ruby, signer: &Signer, batch: &UserIdBatch, result: RArray) -> Result<(), Error> {
    let chunk_len = chunk_len(batch);
    let outcome = if batch.len() <= chunk_len {
        // One chunk: nothing to overlap, hashed here without the GVL.
        sign_whole(ruby, signer, batch).and_then(|signed| Ok(push_strings(result, &signed)?))
    } else {
        signer.sign_batch_emit_waiting(
            batch,
            chunk_len,
            |_, signatures| {
                push_strings(result, signatures)?;
                // Building strings holds the GVL: let an interrupt in between chunks.
                Ok(ruby.thread_check_ints()?)
            },
            |next| wait(ruby, next),
        )
    };
    outcome.map_err(|stop| match stop {
        Stop::Core(error) => to_ruby(ruby, error),
        Stop::Ruby(error) => error,
    })
}

/// At most `CHUNK_IDS` ids and, for long ids, about `CHUNK_BYTES` per chunk.
fn chunk_len(batch: &UserIdBatch) -> usize {
    let average = batch.byte_len() / batch.len().max(1);
    (CHUNK_BYTES / average.max(1)).clamp(1, CHUNK_IDS)
}

fn sign_whole(ruby: &Ruby, signer: &Signer, batch: &UserIdBatch) -> Result<Vec<Signature>, Stop> {
    Ok(without_gvl(ruby, |_: &Interrupt| signer.sign_batch(batch))??)
}

/// Waits for the next chunk without the GVL, polling the interrupt flag.
fn wait(ruby: &Ruby, next: &mut NextChunk<'_, Signature, refiner_identity::Error>) -> Result<(), Stop> {
    // Each round lets Ruby run what interrupted it; one that raises nothing (a
    // trapped signal) leaves the chunk, still being made meanwhile, to wait for.
    loop {
        let next = &mut *next;
        let arrived = without_gvl(ruby, move |interrupt: &Interrupt| loop {
            if next.poll(POLL) {
                return true;
            }
            if interrupt.requested() {
                return false;
            }
        })?;
        if arrived {
            return Ok(());
        }
    }
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
