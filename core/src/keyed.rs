//! HMAC-SHA256 (RFC 2104) with the keyed inner and outer states computed once,
//! so a message of up to 55 bytes costs two SHA-256 compressions.

use sha2::block_api::compress256;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

const BLOCK: usize = 64;
const IPAD: u8 = 0x36;
const OPAD: u8 = 0x5c;
const SHA256_IV: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// SHA-256 states after absorbing `key ^ ipad` and `key ^ opad`: key material, wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct KeyedState {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl KeyedState {
    #[inline]
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut hashed_key = [0u8; 32];
        let key = if key.len() > BLOCK {
            hashed_key.copy_from_slice(&Sha256::digest(key));
            &hashed_key[..]
        } else {
            key
        };
        // Both pads built in one pass over the key, without a memcpy into a
        // temporary block (that copy and its reload measured as a visible share).
        let mut pads = [[IPAD; BLOCK], [OPAD; BLOCK]];
        for (index, byte) in key.iter().enumerate() {
            pads[0][index] ^= byte;
            pads[1][index] ^= byte;
        }
        let mut state = KeyedState { inner: SHA256_IV, outer: SHA256_IV };
        compress256(&mut state.inner, &pads[..1]);
        compress256(&mut state.outer, &pads[1..]);
        pads.zeroize();
        hashed_key.zeroize();
        state
    }

    /// HMAC-SHA256 of `message` under this key.
    pub(crate) fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut inner = self.inner;
        let (blocks, rest) = message.as_chunks::<BLOCK>();
        if !blocks.is_empty() {
            // The SHA-NI path costs its setup even for zero blocks.
            compress256(&mut inner, blocks);
        }

        // SHA-256 padding: 0x80, zeros, then the bit length of (ipad block + message).
        let mut tail = [[0u8; BLOCK]; 2];
        let flat = tail.as_flattened_mut();
        flat[..rest.len()].copy_from_slice(rest);
        flat[rest.len()] = 0x80;
        let tail_blocks = if rest.len() < BLOCK - 8 { 1 } else { 2 };
        let bit_len = ((BLOCK + message.len()) as u64).wrapping_mul(8);
        flat[tail_blocks * BLOCK - 8..tail_blocks * BLOCK].copy_from_slice(&bit_len.to_be_bytes());
        compress256(&mut inner, &tail[..tail_blocks]);

        // Outer hash: opad block (precomputed) + 32-byte inner digest, one padded block.
        let mut block = [0u8; BLOCK];
        write_be_words(&inner, &mut block[..32]);
        block[32] = 0x80;
        block[BLOCK - 8..].copy_from_slice(&(((BLOCK + 32) as u64) * 8).to_be_bytes());
        let mut outer = self.outer;
        compress256(&mut outer, &[block]);

        let mut out = [0u8; 32];
        write_be_words(&outer, &mut out);
        out
    }
}

fn write_be_words(words: &[u32; 8], out: &mut [u8]) {
    for (chunk, word) in out.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
}
