//! Integers of any size as hosts hold them (binary, little-endian) turned
//! into user ids: within `i128` as a machine integer, beyond it as canonical
//! decimal text. Bindings read the host's binary form through its C API and
//! hand it over here, so no host method (a subclass's or a monkeypatched
//! `to_s`) takes part and the decimal formatting lives in one place.

use crate::user_id::UserId;

/// An integer user id owned by the caller: small, or the decimal of a large one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegerId {
    /// Fits `i128`.
    Small(i128),
    /// Canonical decimal text of an integer outside `i128`.
    Big(String),
}

impl IntegerId {
    /// From little-endian two's-complement bytes of any length (Python's
    /// `int.to_bytes(n, "little", signed=True)`). No bytes is zero.
    pub fn from_twos_complement_le(bytes: &[u8]) -> Self {
        let negative = bytes.last().is_some_and(|last| last & 0x80 != 0);
        let limbs = limbs_le(bytes, negative);
        Self::from_limbs(negative, limbs)
    }

    /// From the sign and the little-endian bytes of the absolute value, any
    /// length (Ruby's `rb_integer_pack`). A zero magnitude is `0`, never `-0`.
    pub fn from_magnitude_le(negative: bool, magnitude: &[u8]) -> Self {
        Self::from_limbs(negative, limbs_le(magnitude, false))
    }

    /// The id to sign, borrowing the decimal text.
    pub fn user_id(&self) -> UserId<'_> {
        match self {
            IntegerId::Small(value) => UserId::Integer(*value),
            IntegerId::Big(decimal) => UserId::BigInteger(decimal),
        }
    }

    fn from_limbs(negative: bool, mut limbs: Vec<u32>) -> Self {
        let top = limbs.iter().rposition(|&limb| limb != 0).map_or(0, |top| top + 1);
        limbs.truncate(top);
        if limbs.len() <= 4 {
            let mut magnitude = 0u128;
            for &limb in limbs.iter().rev() {
                magnitude = (magnitude << 32) | u128::from(limb);
            }
            let small = if negative { 0i128.checked_sub_unsigned(magnitude) } else { i128::try_from(magnitude).ok() };
            if let Some(small) = small {
                return IntegerId::Small(small);
            }
        }
        IntegerId::Big(decimal(negative, limbs))
    }
}

/// Ten to the number of decimal digits in one base-10^9 chunk.
const CHUNK: u64 = 1_000_000_000;
const CHUNK_DIGITS: usize = 9;

/// Canonical decimal text of the magnitude `limbs` (little-endian, non-zero top), signed.
fn decimal(negative: bool, mut limbs: Vec<u32>) -> String {
    // Repeated division by 10^9 yields the chunks least significant first.
    let mut chunks = Vec::with_capacity(limbs.len() * 32 / 29 + 1);
    while let Some(top) = limbs.iter().rposition(|&limb| limb != 0) {
        limbs.truncate(top + 1);
        let mut remainder = 0u64;
        for limb in limbs.iter_mut().rev() {
            let current = (remainder << 32) | u64::from(*limb);
            // current < 10^9 * 2^32, so the quotient fits in 32 bits.
            *limb = (current / CHUNK) as u32;
            remainder = current % CHUNK;
        }
        chunks.push(remainder as u32);
    }
    let mut text = String::with_capacity(chunks.len() * CHUNK_DIGITS + 1);
    match chunks.split_last() {
        None => text.push('0'),
        Some((&most_significant, rest)) => {
            if negative {
                text.push('-');
            }
            push_digits(&mut text, most_significant, false);
            for &chunk in rest.iter().rev() {
                push_digits(&mut text, chunk, true);
            }
        }
    }
    text
}

/// Appends `chunk` (below 10^9) in decimal, zero-padded to nine digits if `padded`.
fn push_digits(text: &mut String, mut chunk: u32, padded: bool) {
    let mut digits = [b'0'; CHUNK_DIGITS];
    for digit in digits.iter_mut().rev() {
        *digit = b'0' + (chunk % 10) as u8;
        chunk /= 10;
    }
    let leading_zeros = if padded { 0 } else { digits.iter().take_while(|&&digit| digit == b'0').count() };
    let start = leading_zeros.min(CHUNK_DIGITS - 1);
    text.extend(digits[start..].iter().map(|&digit| char::from(digit)));
}

/// The absolute value as little-endian 32-bit limbs; `negate` reads `bytes`
/// as a negative two's-complement number.
fn limbs_le(bytes: &[u8], negate: bool) -> Vec<u32> {
    let mut limbs = Vec::with_capacity(bytes.len().div_ceil(4) + 1);
    // Negating two's complement: invert every bit, then add one.
    let mut carry = u64::from(negate);
    for group in bytes.chunks(4) {
        let mut word = [if negate { 0xff } else { 0 }; 4];
        word[..group.len()].copy_from_slice(group);
        let mut limb = u32::from_le_bytes(word);
        if negate {
            limb = !limb;
        }
        let sum = u64::from(limb) + carry;
        limbs.push(sum as u32);
        carry = sum >> 32;
    }
    if carry != 0 {
        limbs.push(carry as u32);
    }
    limbs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn twos(value: i128, length: usize) -> Vec<u8> {
        let fill = if value < 0 { 0xff } else { 0 };
        let mut bytes = value.to_le_bytes().to_vec();
        bytes.resize(length, fill);
        bytes
    }

    const VALUES: [i128; 12] =
        [0, 1, -1, 9, 10, -10, 999_999_999, 1_000_000_000, -1_000_000_000, i128::MAX, i128::MIN, -(1 << 64)];

    #[test]
    fn twos_complement_within_i128_is_small_at_any_length() {
        for value in VALUES {
            for length in [16, 17, 24, 33] {
                assert_eq!(IntegerId::from_twos_complement_le(&twos(value, length)), IntegerId::Small(value));
            }
        }
        assert_eq!(IntegerId::from_twos_complement_le(&[]), IntegerId::Small(0));
        assert_eq!(IntegerId::from_twos_complement_le(&[0xfb]), IntegerId::Small(-5));
    }

    #[test]
    fn magnitude_within_i128_is_small() {
        for value in VALUES {
            let magnitude = value.unsigned_abs().to_le_bytes();
            assert_eq!(IntegerId::from_magnitude_le(value < 0, &magnitude), IntegerId::Small(value));
        }
        assert_eq!(IntegerId::from_magnitude_le(true, &[0, 0]), IntegerId::Small(0));
    }

    #[test]
    fn beyond_i128_is_the_decimal_text() {
        // 2^128 = 340282366920938463463374607431768211456, and i128::MAX + 1 in two's complement.
        let mut power = vec![0u8; 16];
        power.push(1);
        let expected = "340282366920938463463374607431768211456";
        assert_eq!(IntegerId::from_magnitude_le(false, &power), IntegerId::Big(expected.into()));
        assert_eq!(IntegerId::from_magnitude_le(true, &power), IntegerId::Big(format!("-{expected}")));
        assert_eq!(IntegerId::from_twos_complement_le(&power), IntegerId::Big(expected.into()));
        let mut max_plus_one = vec![0u8; 15];
        max_plus_one.extend([0x80, 0]);
        assert_eq!(
            IntegerId::from_twos_complement_le(&max_plus_one),
            IntegerId::Big("170141183460469231731687303715884105728".into())
        );
        // i128::MIN - 1, whose magnitude is 2^127 + 1.
        let mut magnitude = vec![1u8];
        magnitude.extend([0; 14]);
        magnitude.push(0x80);
        assert_eq!(
            IntegerId::from_magnitude_le(true, &magnitude),
            IntegerId::Big("-170141183460469231731687303715884105729".into())
        );
    }

    #[test]
    fn ten_to_the_hundred_has_a_padded_middle() {
        // 10^100 = 2^100 * 5^100: build it by repeated multiplication of little-endian bytes.
        let mut magnitude = vec![1u8];
        for _ in 0..100 {
            let mut carry = 0u16;
            for byte in &mut magnitude {
                let product = u16::from(*byte) * 10 + carry;
                *byte = product as u8;
                carry = product >> 8;
            }
            if carry != 0 {
                magnitude.push(carry as u8);
            }
        }
        let expected = format!("1{}", "0".repeat(100));
        assert_eq!(IntegerId::from_magnitude_le(false, &magnitude).user_id(), UserId::BigInteger(&expected));
    }
}
