//! HMAC-SHA256 (RFC 2104) with the keyed inner and outer states computed once,
//! so a message of up to 55 bytes costs two SHA-256 compressions.

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::compress::{
    absorb, finish, finish_short, keyed_states, load_key, padded_tail, wipe, Block, State, BLOCK, ONE_BLOCK_MAX,
};

/// SHA-256 states after absorbing `key ^ ipad` and `key ^ opad`: key material, wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct KeyedState {
    inner: State,
    outer: State,
}

impl KeyedState {
    #[inline]
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut key_block: Block = [0; BLOCK];
        load_key(key, &mut key_block);
        let (inner, outer) = keyed_states(&key_block);
        wipe(std::array::from_mut(&mut key_block));
        KeyedState { inner, outer }
    }

    /// HMAC-SHA256 of `message` under this key.
    #[inline]
    pub(crate) fn mac(&self, message: &[u8]) -> [u8; 32] {
        if message.len() <= ONE_BLOCK_MAX {
            let [mac] = finish_short(&self.inner, [message], &self.outer);
            return mac;
        }
        let mut inner = self.inner;
        let (blocks, rest) = message.as_chunks::<BLOCK>();
        if !blocks.is_empty() {
            // The SHA-NI path costs its setup even for zero blocks.
            absorb(&mut inner, blocks);
        }
        let (tail, tail_blocks) = padded_tail(rest, message.len());
        finish(&inner, &tail[..tail_blocks], &self.outer)
    }

    /// HMAC-SHA256 of two messages, computed interleaved when both fit one
    /// padded block (up to 55 bytes, which covers nearly every user id).
    #[inline]
    pub(crate) fn mac_pair(&self, first: &[u8], second: &[u8]) -> [[u8; 32]; 2] {
        if first.len() <= ONE_BLOCK_MAX && second.len() <= ONE_BLOCK_MAX {
            finish_short(&self.inner, [first, second], &self.outer)
        } else {
            [self.mac(first), self.mac(second)]
        }
    }
}
