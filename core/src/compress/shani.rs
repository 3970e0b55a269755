//! SHA-256 on x86-64's SHA extensions (SHA-NI), after Intel's reference
//! sequence (as in `sha2`'s own backend), fused for HMAC. Every function needs
//! the features `available` checks.

use std::arch::x86_64::*;

use super::{inner_bit_len, Block, State, IPAD, OPAD, OUTER_BIT_LEN, SHA256_IV};

/// SHA-256 round constants (FIPS 180-4, 4.2.2).
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
];

/// A state in the register order `sha256rnds2` works on: (ABEF, CDGH).
type Registers = (__m128i, __m128i);
/// A block (or four vectors of the message schedule) as big-endian 32-bit words.
type Words = [__m128i; 4];

/// `std` caches the CPUID answer, so this is a few loads per call.
#[inline]
pub(super) fn available() -> bool {
    is_x86_feature_detected!("sha") && is_x86_feature_detected!("sse4.1") && is_x86_feature_detected!("ssse3")
}

#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
pub(super) fn keyed_states(key_block: &Block) -> (State, State) {
    let key = load_block(key_block);
    let (ipad, opad) = (_mm_set1_epi8(IPAD as i8), _mm_set1_epi8(OPAD as i8));
    let iv = to_registers(load_words(&SHA256_IV));
    let [inner, outer] =
        compress([iv, iv], [key.map(|word| _mm_xor_si128(word, ipad)), key.map(|word| _mm_xor_si128(word, opad))]);
    (store_words(to_words(inner)), store_words(to_words(outer)))
}

#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
pub(super) fn finish(inner: &State, tail: &[Block], outer: &State) -> [u8; 32] {
    let mut inner = to_registers(load_words(inner));
    for block in tail {
        [inner] = compress([inner], [load_block(block)]);
    }
    let [out] = outer_digests([inner], outer);
    out
}

/// Each message (at most `ONE_BLOCK_MAX` bytes, the caller checked) is padded
/// in registers: bytes read with in-bounds loads only, zeros after, 0x80 right
/// after the last byte, the bit length in the last eight bytes.
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
pub(super) fn finish_short<const N: usize>(inner: &State, messages: [&[u8]; N], outer: &State) -> [[u8; 32]; N] {
    let inner = to_registers(load_words(inner));
    let blocks = messages.map(|message| {
        let length = _mm_set_epi64x(inner_bit_len(message.len()).swap_bytes() as i64, 0);
        let lanes = [0, 16, 32, 48].map(|start| padded_lane(message, start));
        [lanes[0], lanes[1], lanes[2], _mm_or_si128(lanes[3], length)].map(|lane| _mm_shuffle_epi8(lane, byte_swap()))
    });
    outer_digests(compress([inner; N], blocks), outer)
}

/// Bytes `start..start + 16` of the padded message: its bytes, 0x80 at its
/// end, zeros past it. SSE2 only (part of x86-64), so it can be forced inline:
/// as a call, its vector came back through memory.
#[inline(always)]
fn padded_lane(message: &[u8], start: usize) -> __m128i {
    if let Some(full) = message.get(start..start + 16) {
        // SAFETY: SSE2 is part of x86-64; `full` is 16 readable bytes (unaligned load).
        return unsafe { _mm_loadu_si128(full.as_ptr().cast()) };
    }
    // A lane wholly past the message and its 0x80 stays zero.
    let mut words = [0u64; 2];
    if let Some(rest) = message.get(start..) {
        // 0..=15 bytes: two little-endian words, then the 0x80 after the last byte.
        let (low, high) = rest.split_at(rest.len().min(8));
        words = [little_endian_word(low), little_endian_word(high)];
        words[rest.len() / 8] |= 0x80 << (8 * (rest.len() % 8));
    }
    // SAFETY: SSE2 is part of x86-64.
    unsafe { _mm_set_epi64x(words[1] as i64, words[0] as i64) }
}

/// Up to eight bytes as a little-endian word (zeros above), with loads that
/// stay inside `bytes` (overlapping when the length is not a power of two).
#[inline(always)]
fn little_endian_word(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    if let Some(all) = bytes.first_chunk::<8>() {
        return u64::from_le_bytes(*all);
    }
    if let (Some(low), Some(high)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        // The two halves overlap by 8 - len bytes, which are equal in both.
        return u64::from(u32::from_le_bytes(*low)) | u64::from(u32::from_le_bytes(*high)) << (8 * (len - 4));
    }
    match bytes {
        [] => 0,
        [a] => u64::from(*a),
        [a, b] => u64::from(*a) | u64::from(*b) << 8,
        [a, b, c, ..] => u64::from(*a) | u64::from(*b) << 8 | u64::from(*c) << 16,
    }
}

/// The HMAC outputs from finished inner states: each outer message is the inner
/// digest, then 0x80, zeros and the bit length, so it never goes through memory.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn outer_digests<const N: usize>(inner: [Registers; N], outer: &State) -> [[u8; 32]; N] {
    let padding = _mm_set_epi32(0, 0, 0, 0x8000_0000_u32 as i32);
    let length = _mm_set_epi32(OUTER_BIT_LEN as i32, 0, 0, 0);
    let messages = inner.map(|registers| {
        let [digest_low, digest_high] = to_words(registers);
        [digest_low, digest_high, padding, length]
    });
    let outer = to_registers(load_words(outer));
    compress([outer; N], messages).map(|registers| {
        let big_endian = to_words(registers).map(|words| _mm_shuffle_epi8(words, byte_swap()));
        let mut out = [0u8; 32];
        // SAFETY: `out` is 32 writable bytes.
        unsafe { store_32_bytes(out.as_mut_ptr().cast(), big_endian) };
        out
    })
}

/// One compression per lane, round group by round group, so independent
/// lanes' dependency chains overlap.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn compress<const N: usize>(states: [Registers; N], blocks: [Words; N]) -> [Registers; N] {
    let mut working = states;
    let mut schedule = blocks;
    for group in 0..4 {
        for (registers, words) in working.iter_mut().zip(&schedule) {
            rounds4(group, registers, words[group]);
        }
    }
    for first in [4, 8, 12] {
        for i in 0..4 {
            for (registers, w) in working.iter_mut().zip(&mut schedule) {
                // W[4g..4g+4] from the previous sixteen words, kept in a ring of four vectors.
                let (w0, w1, w2, w3) = (w[i], w[(i + 1) % 4], w[(i + 2) % 4], w[(i + 3) % 4]);
                let partial = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4));
                w[i] = _mm_sha256msg2_epu32(partial, w3);
                rounds4(first + i, registers, w[i]);
            }
        }
    }
    std::array::from_fn(|lane| {
        (_mm_add_epi32(working[lane].0, states[lane].0), _mm_add_epi32(working[lane].1, states[lane].1))
    })
}

/// Rounds 4g..4g+4 with their message words.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn rounds4(group: usize, (abef, cdgh): &mut Registers, words: __m128i) {
    debug_assert!(group < K.len() / 4, "round group {group} is past the 64 round constants");
    // SAFETY: group < 16, so the four constants are in `K`; unaligned load.
    let k = unsafe { _mm_loadu_si128(K.as_ptr().add(4 * group).cast()) };
    let with_k = _mm_add_epi32(words, k);
    *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, with_k);
    *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(with_k, 0x0E));
}

/// Swaps the bytes of each 32-bit lane (big-endian bytes <-> words).
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn byte_swap() -> __m128i {
    _mm_set_epi64x(0x0C0D_0E0F_0809_0A0B, 0x0405_0607_0001_0203)
}

#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn load_block(block: &Block) -> Words {
    let pointer: *const __m128i = block.as_ptr().cast();
    // SAFETY: `block` is 64 readable bytes; unaligned loads.
    std::array::from_fn(|i| _mm_shuffle_epi8(unsafe { _mm_loadu_si128(pointer.add(i)) }, byte_swap()))
}

/// A state's words H0..H3 and H4..H7.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn load_words(state: &State) -> [__m128i; 2] {
    let pointer: *const __m128i = state.as_ptr().cast();
    // SAFETY: `state` is 32 readable bytes; unaligned loads.
    unsafe { [_mm_loadu_si128(pointer), _mm_loadu_si128(pointer.add(1))] }
}

#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn store_words(words: [__m128i; 2]) -> State {
    let mut state = [0u32; 8];
    // SAFETY: `state` is 32 writable bytes.
    unsafe { store_32_bytes(state.as_mut_ptr().cast(), words) };
    state
}

/// # Safety
/// `pointer` must be valid for 32 bytes of writes (no alignment needed).
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
unsafe fn store_32_bytes(pointer: *mut __m128i, [low, high]: [__m128i; 2]) {
    // SAFETY: the caller's contract.
    unsafe {
        _mm_storeu_si128(pointer, low);
        _mm_storeu_si128(pointer.add(1), high);
    }
}

#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn to_registers([dcba, hgfe]: [__m128i; 2]) -> Registers {
    let cdab = _mm_shuffle_epi32(dcba, 0xB1);
    let efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    (_mm_alignr_epi8(cdab, efgh, 8), _mm_blend_epi16(efgh, cdab, 0xF0))
}

#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn to_words((abef, cdgh): Registers) -> [__m128i; 2] {
    let feba = _mm_shuffle_epi32(abef, 0x1B);
    let dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    [_mm_blend_epi16(feba, dchg, 0xF0), _mm_alignr_epi8(dchg, feba, 8)]
}
