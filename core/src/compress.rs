//! The SHA-256 compressions of HMAC-SHA256, fused for x86-64's SHA extensions
//! where the CPU has them, and `sha2`'s `compress256` otherwise.
//!
//! Fused, the key pads and the inner digest never leave registers, and the two
//! keyed states (independent chains) are computed interleaved, so the pair
//! costs little more than one compression.

use sha2::block_api::compress256;

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
    if shani::available() {
        // SAFETY: `available` checked every CPU feature `keyed_states` is compiled for.
        return unsafe { shani::keyed_states(key_block) };
    }
    keyed_states_portable(key_block)
}

/// HMAC-SHA256 output from the inner state (after every full message block),
/// the padded final block(s) `tail` of the inner hash, and the outer keyed state.
#[inline]
pub(crate) fn finish(inner: &State, tail: &[Block], outer: &State) -> [u8; 32] {
    #[cfg(target_arch = "x86_64")]
    if shani::available() {
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
    if shani::available() && messages.iter().all(|message| message.len() <= ONE_BLOCK_MAX) {
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
    let flat = tail.as_flattened_mut();
    flat[..rest.len()].copy_from_slice(rest);
    flat[rest.len()] = 0x80;
    let blocks = if rest.len() <= ONE_BLOCK_MAX { 1 } else { 2 };
    flat[blocks * BLOCK - 8..blocks * BLOCK].copy_from_slice(&inner_bit_len(message_len).to_be_bytes());
    (tail, blocks)
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
    // SAFETY: `blocks` is a valid, aligned, exclusive reference.
    unsafe { std::ptr::write_volatile(blocks, [[0; BLOCK]; N]) };
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
    fn wipe_zeroes_every_byte() {
        let mut blocks = [block(7), block(9)];
        wipe(&mut blocks);
        assert_eq!(blocks, [[0; BLOCK]; 2]);
    }
}
