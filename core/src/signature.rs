//! The signature as Refiner expects it: 64 lowercase hex characters, kept on
//! the stack (hex into a String measured about 4x slower).

use std::fmt;

#[cfg(not(target_arch = "x86_64"))]
const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Both hex digits of every byte: one load and one 2-byte store per byte.
#[cfg(not(target_arch = "x86_64"))]
static HEX_PAIRS: [[u8; 2]; 256] = {
    let mut pairs = [[0u8; 2]; 256];
    let mut byte = 0;
    while byte < 256 {
        pairs[byte] = [HEX_DIGITS[byte >> 4], HEX_DIGITS[byte & 0x0f]];
        byte += 1;
    }
    pairs
};

/// 64 lowercase hex characters of an HMAC-SHA256.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Signature([u8; 64]);

impl Signature {
    /// Placeholder for a batch's output slots before they are signed into.
    pub(crate) const UNSET: Signature = Signature([0; 64]);

    pub(crate) fn from_mac(mac: &[u8; 32]) -> Self {
        Signature(encode_hex(mac))
    }

    /// The signature as text.
    pub fn as_str(&self) -> &str {
        // SAFETY: `encode_hex` writes only the ASCII digits 0-9 and a-f.
        unsafe { std::str::from_utf8_unchecked(&self.0) }
    }

    /// The signature as ASCII bytes.
    pub fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }

    /// Several signatures' ASCII bytes back to back (64 per signature), without
    /// a copy: a binding can build one host string for a whole batch chunk.
    pub fn concatenated(signatures: &[Signature]) -> &[u8] {
        // SAFETY: `Signature` is `repr(transparent)` over `[u8; 64]`, so the
        // slice is `len * 64` initialised bytes with no padding.
        unsafe { std::slice::from_raw_parts(signatures.as_ptr().cast::<u8>(), signatures.len() * 64) }
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", self.as_str())
    }
}

/// SSE2 is part of x86-64 itself, so no runtime detection is needed: 16 bytes
/// become 32 digits in a handful of instructions (the table loop was the hot spot).
#[cfg(target_arch = "x86_64")]
fn encode_hex(mac: &[u8; 32]) -> [u8; 64] {
    use std::arch::x86_64::*;
    let mut hex = [0u8; 64];
    // SAFETY: SSE2 is always available on x86_64; loads and stores are unaligned
    // and stay within `mac` (2 x 16 bytes) and `hex` (4 x 16 bytes).
    unsafe {
        let low_nibble = _mm_set1_epi8(0x0f);
        let nine = _mm_set1_epi8(9);
        let zero_char = _mm_set1_epi8(b'0' as i8);
        let letter_gap = _mm_set1_epi8((b'a' - b'0' - 10) as i8);
        let to_ascii = |nibbles: __m128i| {
            let is_letter = _mm_cmpgt_epi8(nibbles, nine);
            _mm_add_epi8(_mm_add_epi8(nibbles, zero_char), _mm_and_si128(is_letter, letter_gap))
        };
        for half in 0..2 {
            let bytes = _mm_loadu_si128(mac.as_ptr().add(half * 16).cast());
            let high = _mm_and_si128(_mm_srli_epi16(bytes, 4), low_nibble);
            let low = _mm_and_si128(bytes, low_nibble);
            let first = to_ascii(_mm_unpacklo_epi8(high, low));
            let second = to_ascii(_mm_unpackhi_epi8(high, low));
            _mm_storeu_si128(hex.as_mut_ptr().add(half * 32).cast(), first);
            _mm_storeu_si128(hex.as_mut_ptr().add(half * 32 + 16).cast(), second);
        }
    }
    hex
}

#[cfg(not(target_arch = "x86_64"))]
fn encode_hex(mac: &[u8; 32]) -> [u8; 64] {
    let mut hex = [0u8; 64];
    let (pairs, _) = hex.as_chunks_mut::<2>();
    for (pair, byte) in pairs.iter_mut().zip(mac) {
        *pair = HEX_PAIRS[usize::from(*byte)];
    }
    hex
}

/// Decodes a 64-character hex signature (either case) into 32 bytes; anything else is `None`.
pub(crate) fn decode_signature(text: &[u8]) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        *byte = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(out)
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}
