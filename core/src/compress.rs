//! The SHA-256 compressions of HMAC-SHA256, fused for x86-64's SHA extensions
//! where the CPU has them, and `sha2`'s `compress256` otherwise (the portable
//! path, which `REFINER_IDENTITY_FORCE_PORTABLE=1` selects on any CPU so both
//! paths get tested on every machine).
//!
//! Fused, the key pads and the inner digest never leave registers, and the two
//! keyed states (independent chains) are computed interleaved, so the pair
//! costs little more than one compression.

use sha2::block_api::compress256;

#[cfg(target_arch = "x86_64")]
mod path;

#[cfg(target_arch = "x86_64")]
mod shani;

pub(crate) const BLOCK: usize = 64;
pub(crate) type Block = [u8; BLOCK];
pub(crate) type State = [u32; 8];

const IPAD: u8 = 0x36;
const OPAD: u8 = 0x5c;
const SHA256_IV: State =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
/// Bit length of an outer HMAC message: the opad block and a 32-byte digest.
const OUTER_BIT_LEN: u64 = (BLOCK as u64 + 32) * 8;

/// The SHA-256 states after absorbing `key_block ^ ipad` and `key_block ^ opad`
/// from the IV (`key_block`: the key zero-padded to one block): (inner, outer).
#[inline]
pub(crate) fn keyed_states(key_block: &Block) -> (State, State) {
    #[cfg(target_arch = "x86_64")]
    if path::fused() {
        // SAFETY: `fused` checked every CPU feature `keyed_states` is compiled for.
        return unsafe { shani::keyed_states(key_block) };
    }
    keyed_states_portable(key_block)
}

/// HMAC-SHA256 output from the inner state (after every full message block),
/// the padded final block(s) `tail` of the inner hash, and the outer keyed state.
#[inline]
pub(crate) fn finish(inner: &State, tail: &[Block], outer: &State) -> [u8; 32] {
    #[cfg(target_arch = "x86_64")]
    if path::fused() {
        // SAFETY: as above.
        return unsafe { shani::finish(inner, tail, outer) };
    }
    finish_portable(inner, tail, outer)
}

/// Longest message whose padding still fits one block: 0x80 and the 8-byte
/// length take at least nine of its 64 bytes.
pub(crate) const ONE_BLOCK_MAX: usize = BLOCK - 9;

/// HMAC-SHA256 outputs of `N` messages of at most `ONE_BLOCK_MAX` bytes each
/// (nearly every user id), from the keyed states; interleaved when `N` > 1.
/// With SHA-NI each padded block is built in registers: written to the stack
/// byte by byte and read back as vectors, it stalled on store forwarding.
#[inline]
pub(crate) fn finish_short<const N: usize>(inner: &State, messages: [&[u8]; N], outer: &State) -> [[u8; 32]; N] {
    #[cfg(target_arch = "x86_64")]
    if path::fused() && messages.iter().all(|message| message.len() <= ONE_BLOCK_MAX) {
        // SAFETY: as above; every message fits one padded block.
        return unsafe { shani::finish_short(inner, messages, outer) };
    }
    messages.map(|message| {
        let (tail, blocks) = padded_tail(message, message.len());
        finish_portable(inner, &tail[..blocks], outer)
    })
}

/// The inner hash's final block(s): `rest` (the message bytes past its last
/// full block), 0x80, zeros, and the bit length of (ipad block + message).
/// Returns how many blocks.
#[inline]
pub(crate) fn padded_tail(rest: &[u8], message_len: usize) -> ([Block; 2], usize) {
    let mut tail = [[0u8; BLOCK]; 2];
    let blocks = pad_into(&mut tail, rest, inner_bit_len(message_len));
    (tail, blocks)
}

/// Writes SHA-256's final block(s) into `tail` (all zeros on entry): `rest`
/// (under one block), 0x80, and `bit_len` in the last eight bytes. Returns how many blocks.
#[inline]
fn pad_into(tail: &mut [Block; 2], rest: &[u8], bit_len: u64) -> usize {
    let flat = tail.as_flattened_mut();
    flat[..rest.len()].copy_from_slice(rest);
    flat[rest.len()] = 0x80;
    let blocks = if rest.len() <= ONE_BLOCK_MAX { 1 } else { 2 };
    flat[blocks * BLOCK - 8..blocks * BLOCK].copy_from_slice(&bit_len.to_be_bytes());
    blocks
}

/// Writes RFC 2104's key block into `key_block` (all zeros on entry): the key,
/// or the SHA-256 digest of a key longer than a block, zero-padded. The caller
/// wipes `key_block`.
#[inline]
pub(crate) fn load_key(key: &[u8], key_block: &mut Block) {
    match key_block.get_mut(..key.len()) {
        Some(prefix) => prefix.copy_from_slice(key),
        None => {
            let mut scratch = KeyHashScratch::ZERO;
            digest_long_key(key, key_block, &mut scratch);
        }
    }
}

/// What hashing a long key writes besides its digest: the padded last block
/// (the key's final bytes) and the chaining state (the digest itself).
#[derive(Clone, Copy, PartialEq, Debug)]
struct KeyHashScratch {
    tail: [Block; 2],
    state: State,
}

impl KeyHashScratch {
    const ZERO: Self = KeyHashScratch { tail: [[0; BLOCK]; 2], state: [0; 8] };
}

/// SHA-256 of `key` into the first 32 bytes of `key_block`, computed here
/// rather than with `sha2::Sha256`, whose buffer keeps the key's last partial
/// block after the hasher is dropped: `scratch` (zeros on entry) is wiped before returning.
#[cold]
fn digest_long_key(key: &[u8], key_block: &mut Block, scratch: &mut KeyHashScratch) {
    scratch.state = SHA256_IV;
    // Full blocks are read from the caller's key where it lies: no copy to wipe.
    let (blocks, rest) = key.as_chunks::<BLOCK>();
    compress256(&mut scratch.state, blocks);
    let tail_blocks = pad_into(&mut scratch.tail, rest, (key.len() as u64).wrapping_mul(8));
    compress256(&mut scratch.state, &scratch.tail[..tail_blocks]);
    write_be_words(&scratch.state, &mut key_block[..32]);
    wipe_value(scratch, KeyHashScratch::ZERO);
}

/// Bit length of an inner HMAC message: the ipad block and the message.
#[inline]
fn inner_bit_len(message_len: usize) -> u64 {
    ((BLOCK + message_len) as u64).wrapping_mul(8)
}

/// Absorbs full message blocks into `state`.
#[inline]
pub(crate) fn absorb(state: &mut State, blocks: &[Block]) {
    compress256(state, blocks);
}

fn keyed_states_portable(key_block: &Block) -> (State, State) {
    let mut pads = [key_block.map(|byte| byte ^ IPAD), key_block.map(|byte| byte ^ OPAD)];
    let (mut inner, mut outer) = (SHA256_IV, SHA256_IV);
    compress256(&mut inner, &pads[..1]);
    compress256(&mut outer, &pads[1..]);
    wipe(&mut pads);
    (inner, outer)
}

fn finish_portable(inner: &State, tail: &[Block], outer: &State) -> [u8; 32] {
    let mut inner = *inner;
    compress256(&mut inner, tail);
    let mut block = [0u8; BLOCK];
    write_be_words(&inner, &mut block[..32]);
    block[32] = 0x80;
    block[BLOCK - 8..].copy_from_slice(&OUTER_BIT_LEN.to_be_bytes());
    let mut outer = *outer;
    compress256(&mut outer, &[block]);
    let mut out = [0u8; 32];
    write_be_words(&outer, &mut out);
    out
}

fn write_be_words(words: &State, out: &mut [u8]) {
    for (chunk, word) in out.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
}

/// Zeroes key material with one volatile store of the whole value and a fence,
/// so the compiler cannot drop it as a dead store. (zeroize's byte-by-byte
/// volatile stores measured as about a quarter of a one-shot signature.)
#[inline]
pub(crate) fn wipe<const N: usize>(blocks: &mut [Block; N]) {
    wipe_value(blocks, [[0; BLOCK]; N]);
}

/// Overwrites `value` with `zero` as `wipe` does (plain data only: nothing is dropped).
#[inline]
fn wipe_value<T: Copy>(value: &mut T, zero: T) {
    // SAFETY: `value` is a valid, aligned, exclusive reference; `T: Copy` has no drop to skip.
    unsafe { std::ptr::write_volatile(value, zero) };
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

#[cfg(test)]
mod tests {
    //! The fused paths against the portable ones (the vector, Wycheproof and
    //! property tests check whichever path this CPU takes against references).
    use super::*;

    fn block(seed: u8) -> Block {
        std::array::from_fn(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
    }

    #[test]
    fn keyed_states_match_portable() {
        for seed in 0..=255 {
            assert_eq!(keyed_states(&block(seed)), keyed_states_portable(&block(seed)), "seed {seed}");
        }
        assert_eq!(keyed_states(&[0; BLOCK]), keyed_states_portable(&[0; BLOCK]));
    }

    #[test]
    fn finish_matches_portable_for_one_and_two_tail_blocks() {
        for seed in 0..=255u8 {
            let (inner, outer) = keyed_states_portable(&block(seed));
            let tails = [block(seed.wrapping_add(1)), block(seed.wrapping_add(2))];
            for blocks in 1..=2 {
                let tail = &tails[..blocks];
                assert_eq!(finish(&inner, tail, &outer), finish_portable(&inner, tail, &outer), "seed {seed}");
            }
        }
    }

    #[test]
    fn short_messages_match_portable_at_every_length() {
        for seed in 0..=63u8 {
            let (inner, outer) = keyed_states_portable(&block(seed));
            let text = [block(seed.wrapping_add(1)), block(seed.wrapping_add(2))].concat();
            for len in 0..=ONE_BLOCK_MAX {
                let (first, second) = (&text[..len], &text[64..64 + ONE_BLOCK_MAX - len]);
                let expected = [first, second].map(|message| {
                    let (tail, blocks) = padded_tail(message, message.len());
                    finish_portable(&inner, &tail[..blocks], &outer)
                });
                assert_eq!(finish_short(&inner, [first, second], &outer), expected, "seed {seed}, len {len}");
                assert_eq!(finish_short(&inner, [first], &outer), [expected[0]], "seed {seed}, len {len}");
            }
        }
    }

    #[test]
    fn long_keys_are_their_sha256_and_leave_no_scratch() {
        use sha2::{Digest, Sha256};
        for len in BLOCK + 1..=4 * BLOCK + 1 {
            let key: Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(7).wrapping_add(len as u8)).collect();
            let mut expected = [0u8; BLOCK];
            expected[..32].copy_from_slice(&Sha256::digest(&key));
            let mut key_block = [0u8; BLOCK];
            let mut scratch = KeyHashScratch::ZERO;
            digest_long_key(&key, &mut key_block, &mut scratch);
            assert_eq!(key_block, expected, "length {len}");
            assert_eq!(scratch, KeyHashScratch::ZERO, "length {len}: scratch left behind");
            let mut loaded = [0u8; BLOCK];
            load_key(&key, &mut loaded);
            assert_eq!(loaded, expected, "length {len}");
        }
    }

    #[test]
    fn keys_up_to_a_block_are_zero_padded() {
        for len in 1..=BLOCK {
            let key = vec![0xa5; len];
            let mut key_block = [0u8; BLOCK];
            load_key(&key, &mut key_block);
            assert_eq!(key_block[..len], key[..], "length {len}");
            assert!(key_block[len..].iter().all(|&byte| byte == 0), "length {len}");
        }
    }

    #[test]
    fn wipe_zeroes_every_byte() {
        let mut blocks = [block(7), block(9)];
        wipe(&mut blocks);
        assert_eq!(blocks, [[0; BLOCK]; 2]);
    }
}
