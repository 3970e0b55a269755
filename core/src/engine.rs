//! The one batch engine: a batch is cut into chunks; a producer thread makes
//! each chunk on all cores (rayon) while the calling thread hands the previous
//! one to the host (`emit`), in order. Signatures and survey links both run
//! through it, so every binding gets the same parallelism and ordering.

use std::ops::Range;
use std::sync::mpsc::sync_channel;

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
    mut emit: impl FnMut(usize, Vec<T>) -> Result<(), E>,
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
        let (sender, receiver) = sync_channel(1);
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
        for made in receiver {
            let (start, chunk) = made?;
            emit(start, chunk)?;
        }
        Ok(())
    })
}
