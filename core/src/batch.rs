//! `UserIdBatch`: user ids copied into one buffer. Bindings that cannot borrow
//! the host's memory while hashing (Ruby without the GVL, Node's thread pool)
//! fill one, so a batch costs one allocation instead of one per id.

use std::fmt;

use crate::engine::{self, NextChunk};
use crate::error::Error;
use crate::signature::Signature;
use crate::signer::{check_all, Signer};
use crate::user_id::UserId;

/// Many user ids, owned, in order. Build with the `push_*` methods; sign with
/// [`Signer::sign_batch`](crate::Signer::sign_batch).
#[derive(Clone, Default)]
pub struct UserIdBatch {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
}

#[derive(Clone, Copy)]
enum Entry {
    Bytes { start: usize, end: usize },
    Integer(i128),
    BigInteger { start: usize, end: usize },
}

impl UserIdBatch {
    /// An empty batch with room for `ids` entries.
    pub fn with_capacity(ids: usize) -> Self {
        UserIdBatch { bytes: Vec::new(), entries: Vec::with_capacity(ids) }
    }

    /// Adds an id given as bytes (text is its UTF-8).
    pub fn push_bytes(&mut self, bytes: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(bytes);
        self.entries.push(Entry::Bytes { start, end: self.bytes.len() });
    }

    /// Adds an id whose bytes `write` appends to the buffer (so a host can copy
    /// straight into it). If `write` fails, the batch is left as it was.
    pub fn push_bytes_with<E>(&mut self, write: impl FnOnce(&mut Vec<u8>) -> Result<(), E>) -> Result<(), E> {
        let start = self.bytes.len();
        if let Err(error) = write(&mut self.bytes) {
            self.bytes.truncate(start);
            return Err(error);
        }
        self.entries.push(Entry::Bytes { start, end: self.bytes.len() });
        Ok(())
    }

    /// Adds an integer id (signed as its canonical decimal).
    pub fn push_integer(&mut self, value: i128) {
        self.entries.push(Entry::Integer(value));
    }

    /// Adds an integer outside `i128`, as the host's decimal text (checked when signed).
    pub fn push_big_integer(&mut self, decimal: &str) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(decimal.as_bytes());
        self.entries.push(Entry::BigInteger { start, end: self.bytes.len() });
    }

    /// How many ids the batch holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Bytes held for all ids (text, bytes and large integers' decimals).
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }

    /// True when the batch holds no id.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The id at `index`, borrowing the batch (`None` past the end).
    pub fn get(&self, index: usize) -> Option<UserId<'_>> {
        self.entries.get(index).map(|entry| self.user_id(entry))
    }

    /// The ids in order, borrowing the batch.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = UserId<'_>> + '_ {
        self.entries.iter().map(|entry| self.user_id(entry))
    }

    /// The id at `index`, which the caller knows is in range.
    pub(crate) fn user_id_at(&self, index: usize) -> UserId<'_> {
        self.user_id(&self.entries[index])
    }

    fn user_id(&self, entry: &Entry) -> UserId<'_> {
        match *entry {
            Entry::Bytes { start, end } => UserId::Bytes(&self.bytes[start..end]),
            Entry::Integer(value) => UserId::Integer(value),
            // Pushed as &str, so valid UTF-8; "" would be refused as not canonical anyway.
            Entry::BigInteger { start, end } => {
                UserId::BigInteger(std::str::from_utf8(&self.bytes[start..end]).unwrap_or(""))
            }
        }
    }
}

/// The batch engine as the bindings drive it: the host's emit callback may
/// fail, and its error (an exception, an interrupt) stops the batch.
impl Signer {
    /// Checks every id first (on an invalid one nothing is emitted and the
    /// error names the lowest bad index), then signs `chunk_len` ids at a time
    /// on all cores and hands each chunk to `emit(start, signatures)` on the
    /// calling thread, in order, while the next chunk is signed. The first
    /// error of `emit` ends the batch and is returned.
    pub fn sign_many_emit<E: From<Error>>(
        &self,
        user_ids: &[UserId<'_>],
        chunk_len: usize,
        emit: impl FnMut(usize, &[Signature]) -> Result<(), E>,
    ) -> Result<(), E> {
        check_all(user_ids.iter().copied())?;
        self.emit_chunks(user_ids.len(), chunk_len, |index| user_ids[index], emit)
    }

    /// [`sign_many_emit`](Self::sign_many_emit) over an owned [`UserIdBatch`].
    pub fn sign_batch_emit<E: From<Error>>(
        &self,
        batch: &UserIdBatch,
        chunk_len: usize,
        emit: impl FnMut(usize, &[Signature]) -> Result<(), E>,
    ) -> Result<(), E> {
        check_all(batch.iter())?;
        self.emit_chunks(batch.len(), chunk_len, |index| batch.user_id_at(index), emit)
    }

    /// [`sign_batch_emit`](Self::sign_batch_emit), with every wait of the
    /// calling thread for the next chunk made by `wait(next)`: a host polls
    /// `next` its own way (without its interpreter lock, giving way to
    /// interrupts) until it returns true, or cancels the batch with an error.
    pub fn sign_batch_emit_waiting<E: From<Error>>(
        &self,
        batch: &UserIdBatch,
        chunk_len: usize,
        mut emit: impl FnMut(usize, &[Signature]) -> Result<(), E>,
        wait: impl FnMut(&mut NextChunk<'_, Signature, Error>) -> Result<(), E>,
    ) -> Result<(), E> {
        check_all(batch.iter())?;
        let make = |start: usize, out: &mut [Signature]| self.sign_into(out, |index| batch.user_id_at(start + index));
        engine::run_waiting(batch.len(), chunk_len, Signature::UNSET, make, |start, chunk| emit(start, &chunk), wait)
    }

    fn emit_chunks<'a, E: From<Error>>(
        &self,
        len: usize,
        chunk_len: usize,
        id_at: impl Fn(usize) -> UserId<'a> + Sync,
        mut emit: impl FnMut(usize, &[Signature]) -> Result<(), E>,
    ) -> Result<(), E> {
        let make = |start: usize, out: &mut [Signature]| self.sign_into(out, |index| id_at(start + index));
        engine::run(len, chunk_len, Signature::UNSET, make, |start, chunk| emit(start, &chunk))
    }
}

impl fmt::Debug for UserIdBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserIdBatch").field("len", &self.len()).field("bytes", &self.bytes.len()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(count: usize) -> (Vec<String>, UserIdBatch) {
        let ids: Vec<String> = (0..count).map(|index| format!("user-{index}")).collect();
        let mut batch = UserIdBatch::with_capacity(count);
        ids.iter().for_each(|id| batch.push_bytes(id.as_bytes()));
        (ids, batch)
    }

    #[test]
    fn emits_every_chunk_in_order_with_its_start() {
        let signer = Signer::new("emit-secret").unwrap();
        let (ids, batch) = batch(3 * crate::PARALLEL_THRESHOLD + 7);
        let mut seen = Vec::new();
        signer
            .sign_batch_emit(&batch, crate::PARALLEL_THRESHOLD, |start, chunk| {
                assert_eq!(start, seen.len());
                seen.extend(chunk.iter().copied());
                Ok::<(), Error>(())
            })
            .unwrap();
        let expected: Vec<Signature> = ids.iter().map(|id| signer.sign(UserId::Text(id)).unwrap()).collect();
        assert_eq!(seen, expected);
    }

    #[derive(Debug, PartialEq)]
    enum Host {
        Core(Option<usize>),
        Cancelled(usize),
    }

    impl From<Error> for Host {
        fn from(error: Error) -> Self {
            Host::Core(error.index())
        }
    }

    #[test]
    fn an_emit_error_cancels_the_rest_of_the_batch() {
        let signer = Signer::new("emit-secret").unwrap();
        let (_, batch) = batch(10 * 1000);
        let mut calls = 0;
        let outcome = signer.sign_batch_emit(&batch, 1000, |start, _| {
            calls += 1;
            if start == 3000 {
                return Err(Host::Cancelled(start));
            }
            Ok(())
        });
        assert_eq!(outcome, Err(Host::Cancelled(3000)));
        assert_eq!(calls, 4);
    }

    #[test]
    fn a_wait_error_cancels_and_polling_waits_receive_every_chunk() {
        let signer = Signer::new("emit-secret").unwrap();
        let (ids, batch) = batch(12 * 1000);
        let mut seen = Vec::new();
        let mut waits = 0;
        signer
            .sign_batch_emit_waiting(
                &batch,
                1000,
                |_, chunk| {
                    seen.extend(chunk.iter().copied());
                    Ok::<(), Error>(())
                },
                |next| {
                    waits += 1;
                    while !next.poll(std::time::Duration::from_millis(1)) {}
                    Ok(())
                },
            )
            .unwrap();
        let expected: Vec<Signature> = ids.iter().map(|id| signer.sign(UserId::Text(id)).unwrap()).collect();
        assert_eq!(seen, expected);
        // One wait per chunk and one for the end of the batch.
        assert_eq!(waits, 13);
        let emitted = std::cell::Cell::new(0);
        let outcome = signer.sign_batch_emit_waiting(
            &batch,
            1000,
            |_, _| {
                emitted.set(emitted.get() + 1);
                Ok(())
            },
            |_| if emitted.get() == 2 { Err(Host::Cancelled(2)) } else { Ok(()) },
        );
        assert_eq!(outcome, Err(Host::Cancelled(2)));
        assert_eq!(emitted.get(), 2);
    }

    #[test]
    fn a_bad_id_emits_nothing_and_names_the_lowest_index() {
        let signer = Signer::new("emit-secret").unwrap();
        let (ids, _) = batch(9000);
        let mut user_ids: Vec<UserId<'_>> = ids.iter().map(|id| UserId::Text(id)).collect();
        user_ids[8000] = UserId::Text("");
        user_ids[4500] = UserId::BigInteger("007");
        let outcome = signer.sign_many_emit(&user_ids, 1000, |_, _| Err(Host::Cancelled(0)));
        assert_eq!(outcome, Err(Host::Core(Some(4500))));
    }
}
