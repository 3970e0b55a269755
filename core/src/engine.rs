//! The one batch engine: a batch is cut into chunks; a producer thread makes
//! each chunk on all cores (rayon) while the calling thread hands the previous
//! one to the host (`emit`), in order. Signatures and survey links both run
//! through it, so every binding gets the same parallelism and ordering.

use std::ops::Range;
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use rayon::prelude::*;

/// Items per rayon work item inside a chunk (even, so interleaved pairs of ids never straddle two).
pub(crate) const WORK_ITEM: usize = 1024;

/// Below this many items a batch stays on the calling thread: threads cost more than they save.
pub const PARALLEL_THRESHOLD: usize = 4096;

/// Makes `len` items, `chunk_len` at a time: `make(start, out)` fills `out`
/// with the items `start..start + out.len()` (slots arrive as `blank`), and
/// each finished chunk goes to `emit(start, chunk)` on the calling thread, in
/// order. Stops at the first error of `make` (chunks are made in order, so
/// among the items made it is the one of the lowest chunk) or of `emit`.
///
/// An error from `emit` is also how a host cancels a batch (an interrupt, an
/// exception): nothing is emitted after it, and the producer stops after the
/// chunk it is making.
pub(crate) fn run<T, M, E>(
    len: usize,
    chunk_len: usize,
    blank: T,
    make: impl Fn(usize, &mut [T]) -> Result<(), M> + Sync,
    emit: impl FnMut(usize, Vec<T>) -> Result<(), E>,
) -> Result<(), E>
where
    T: Clone + Send + Sync,
    M: Send,
    E: From<M>,
{
    run_waiting(len, chunk_len, blank, make, emit, |next: &mut NextChunk<'_, T, M>| {
        next.block();
        Ok(())
    })
}

/// [`run`], with the calling thread's waits for the next chunk made by
/// `wait(next)`, so a host can wait its own way (without its interpreter
/// lock, giving way to its interrupts): `wait` polls `next` until it says the
/// chunk is there, or returns its own error to cancel the batch.
pub(crate) fn run_waiting<T, M, E>(
    len: usize,
    chunk_len: usize,
    blank: T,
    make: impl Fn(usize, &mut [T]) -> Result<(), M> + Sync,
    mut emit: impl FnMut(usize, Vec<T>) -> Result<(), E>,
    mut wait: impl FnMut(&mut NextChunk<'_, T, M>) -> Result<(), E>,
) -> Result<(), E>
where
    T: Clone + Send + Sync,
    M: Send,
    E: From<M>,
{
    let step = chunk_len.max(1);
    let chunks = (0..len).step_by(step).map(move |start| start..(start + step).min(len));
    let make_chunk = |range: Range<usize>| -> Result<(usize, Vec<T>), M> {
        let mut out = vec![blank.clone(); range.len()];
        if range.len() < PARALLEL_THRESHOLD {
            make(range.start, &mut out)?;
        } else {
            out.par_chunks_mut(WORK_ITEM)
                .enumerate()
                .try_for_each(|(piece, slots)| make(range.start + piece * WORK_ITEM, slots))?;
        }
        Ok((range.start, out))
    };
    if len <= step {
        for range in chunks {
            let (start, chunk) = make_chunk(range)?;
            emit(start, chunk)?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        // Capacity 1: at most one made chunk waits while the next is made.
        let (sender, mut receiver) = sync_channel(1);
        let make_chunk = &make_chunk;
        let producer = std::thread::Builder::new().name("refiner-identity-batch".into()).spawn_scoped(scope, {
            let chunks = chunks.clone();
            move || {
                for range in chunks {
                    // A closed channel means the caller stopped on an error.
                    if sender.send(make_chunk(range)).is_err() {
                        break;
                    }
                }
            }
        });
        if producer.is_err() {
            // No thread to be had: make every chunk here.
            for range in chunks {
                let (start, chunk) = make_chunk(range)?;
                emit(start, chunk)?;
            }
            return Ok(());
        }
        loop {
            let mut next = NextChunk { receiver: &mut receiver, arrived: None };
            wait(&mut next)?;
            if next.arrived.is_none() {
                // `wait` returned without the chunk: wait for it here.
                next.block();
            }
            match next.arrived {
                Some(Some(made)) => {
                    let (start, chunk) = made?;
                    emit(start, chunk)?;
                }
                // The producer is done (or, were it a bug, gone): every chunk was received.
                Some(None) | None => return Ok(()),
            }
        }
    })
}

/// The calling thread's view of the next chunk while it waits for it.
pub struct NextChunk<'a, T, M> {
    receiver: &'a mut Receiver<Made<T, M>>,
    /// `Some(None)`: no chunk will come (the producer finished).
    arrived: Option<Option<Made<T, M>>>,
}

type Made<T, M> = Result<(usize, Vec<T>), M>;

impl<T, M> NextChunk<'_, T, M> {
    /// Waits at most `timeout`; true once the chunk (or the end) has arrived.
    pub fn poll(&mut self, timeout: Duration) -> bool {
        if self.arrived.is_none() {
            self.arrived = match self.receiver.recv_timeout(timeout) {
                Ok(made) => Some(Some(made)),
                Err(RecvTimeoutError::Disconnected) => Some(None),
                Err(RecvTimeoutError::Timeout) => None,
            };
        }
        self.arrived.is_some()
    }

    fn block(&mut self) {
        if self.arrived.is_none() {
            self.arrived = Some(self.receiver.recv().ok());
        }
    }
}
