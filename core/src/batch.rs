//! `UserIdBatch`: user ids copied into one buffer. Bindings that cannot borrow
//! the host's memory while hashing (Ruby without the GVL, Node's thread pool)
//! fill one, so a batch costs one allocation instead of one per id.

use std::fmt;

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

impl fmt::Debug for UserIdBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserIdBatch").field("len", &self.len()).field("bytes", &self.bytes.len()).finish()
    }
}
