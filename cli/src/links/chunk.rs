//! What the driver needs from an input format: rows read in chunks (on a
//! reader thread) and written back with their signature and link.

use refiner_identity::{LinkRequest, Signature};

use super::bad_row::BadRow;
use crate::Failure;

/// Rows per chunk: the core's threshold for signing on all cores. Up to five
/// chunks are alive at once (being read, signed and written, and two handed
/// over); a small chunk also stays in cache between the stages.
pub const CHUNK_ROWS: usize = refiner_identity::PARALLEL_THRESHOLD;

/// One chunk of input rows in their raw form (reused from chunk to chunk).
pub trait Chunk: Default + Send + 'static {
    fn len(&self) -> usize;
    /// The input line row `row` starts on (1-based).
    fn line(&self, row: usize) -> u64;
    /// Bytes of input consumed up to the end of this chunk.
    fn end_byte(&self) -> u64;
    /// The row as a link request, or why it cannot be one.
    fn request(&self, row: usize) -> Result<LinkRequest<'_>, BadRow>;
}

/// Fills chunks from the input, on the reader thread.
pub trait Reader: Send + 'static {
    type Chunk: Chunk;
    /// Replaces `chunk`'s rows with up to `rows` more; none left means the input ended.
    fn fill(&mut self, chunk: &mut Self::Chunk, rows: usize) -> Result<(), Failure>;
}

/// Writes rows with their signature and link, on the calling thread.
pub trait Writer<C: Chunk> {
    fn write_row(&mut self, chunk: &C, row: usize, signature: &Signature, link: &str) -> Result<(), Failure>;
    fn finish(&mut self) -> Result<(), Failure>;
}
