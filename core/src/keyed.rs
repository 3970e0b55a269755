//! HMAC-SHA256 (RFC 2104) with the keyed inner and outer states computed once,
//! so a message of up to 55 bytes costs two SHA-256 compressions.

use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::compress::{absorb, finish, keyed_states, wipe, Block, State, BLOCK};

/// SHA-256 states after absorbing `key ^ ipad` and `key ^ opad`: key material, wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct KeyedState {
    inner: State,
    outer: State,
}

impl KeyedState {
    #[inline]
    pub(crate) fn new(key: &[u8]) -> Self {
        // RFC 2104: a key longer than a block is replaced by its hash; then zero-padded.
        let mut key_block: Block = [0; BLOCK];
        if key.len() > BLOCK {
            let mut hashed_key = Sha256::digest(key);
            key_block[..hashed_key.len()].copy_from_slice(&hashed_key);
            hashed_key.zeroize();
        } else {
            key_block[..key.len()].copy_from_slice(key);
        }
        let (inner, outer) = keyed_states(&key_block);
        wipe(std::array::from_mut(&mut key_block));
        KeyedState { inner, outer }
    }

    /// HMAC-SHA256 of `message` under this key.
    #[inline]
    pub(crate) fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut inner = self.inner;
        let (blocks, rest) = message.as_chunks::<BLOCK>();
        if !blocks.is_empty() {
            // The SHA-NI path costs its setup even for zero blocks.
            absorb(&mut inner, blocks);
        }
        // SHA-256 padding: 0x80, zeros, then the bit length of (ipad block + message).
        let mut tail = [[0u8; BLOCK]; 2];
        let flat = tail.as_flattened_mut();
        flat[..rest.len()].copy_from_slice(rest);
        flat[rest.len()] = 0x80;
        let tail_blocks = if rest.len() < BLOCK - 8 { 1 } else { 2 };
        let bit_len = ((BLOCK + message.len()) as u64).wrapping_mul(8);
        flat[tail_blocks * BLOCK - 8..tail_blocks * BLOCK].copy_from_slice(&bit_len.to_be_bytes());
        finish(&inner, &tail[..tail_blocks], &self.outer)
    }
}
