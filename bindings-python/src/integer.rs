//! Python `int` (or subclass) to the core's integer ids, reading the value the
//! object holds through the C API and `int`'s own methods. Never a method looked
//! up on the object: a subclass can override every operator, `__index__`,
//! `__str__` or `to_bytes`, and the signature must not change. Any size, without
//! `str()` and so without `sys.set_int_max_str_digits`.

use std::os::raw::c_int;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyInt};
use pyo3::{ffi, intern};

/// An integer id: within `i128`, or the canonical decimal text of a larger one.
pub enum HeldInteger {
    Small(i128),
    Decimal(String),
}

/// `int.bit_length` and `int.to_bytes`, taken from the `int` type itself (its
/// attributes cannot be reassigned), so a subclass's overrides are never called.
struct IntMethods {
    bit_length: Py<PyAny>,
    to_bytes: Py<PyAny>,
}

static INT_METHODS: PyOnceLock<IntMethods> = PyOnceLock::new();

/// Magnitudes of at least this many bytes are formatted without the GIL.
const DETACH_FROM_BYTES: usize = 4096;

pub fn hold_integer(int: &Bound<'_, PyInt>) -> PyResult<HeldInteger> {
    let mut overflow: c_int = 0;
    // SAFETY: `int` is a live int object (exact or subclass) and the GIL is held.
    // For such objects this reads the stored value directly: no `__index__` call.
    let value = unsafe { ffi::PyLong_AsLongLongAndOverflow(int.as_ptr(), &mut overflow) };
    if overflow == 0 {
        if value == -1 {
            if let Some(error) = PyErr::take(int.py()) {
                return Err(error);
            }
        }
        return Ok(HeldInteger::Small(i128::from(value)));
    }
    hold_large(int)
}

fn hold_large(int: &Bound<'_, PyInt>) -> PyResult<HeldInteger> {
    let py = int.py();
    let methods = INT_METHODS.get_or_try_init(py, || -> PyResult<IntMethods> {
        let int_type = py.get_type::<PyInt>();
        Ok(IntMethods {
            bit_length: int_type.getattr("bit_length")?.unbind(),
            to_bytes: int_type.getattr("to_bytes")?.unbind(),
        })
    })?;
    let bits: usize = methods.bit_length.bind(py).call1((int,))?.extract()?;
    // One byte more than the magnitude needs leaves room for the sign bit.
    let length = bits / 8 + 1;
    let keywords = PyDict::new(py);
    keywords.set_item(intern!(py, "signed"), true)?;
    let bytes = methods.to_bytes.bind(py).call((int, length, intern!(py, "little")), Some(&keywords))?;
    let bytes = bytes.cast_into::<PyBytes>()?;
    let twos_complement = bytes.as_bytes();
    if let Some(small) = small_from_le(twos_complement) {
        return Ok(HeldInteger::Small(small));
    }
    let decimal = if twos_complement.len() >= DETACH_FROM_BYTES {
        // `bytes` is immutable and referenced by us for the whole call.
        py.detach(|| decimal_from_le(twos_complement))
    } else {
        decimal_from_le(twos_complement)
    };
    Ok(HeldInteger::Decimal(decimal))
}

/// The value of little-endian two's-complement bytes, if it fits in 16 bytes.
fn small_from_le(bytes: &[u8]) -> Option<i128> {
    let (&last, _) = bytes.split_last()?;
    if bytes.len() > 16 {
        return None;
    }
    let fill = if last & 0x80 != 0 { 0xff } else { 0 };
    let mut buffer = [fill; 16];
    buffer[..bytes.len()].copy_from_slice(bytes);
    Some(i128::from_le_bytes(buffer))
}

/// Ten to the number of decimal digits in one base-10^9 chunk.
const CHUNK: u64 = 1_000_000_000;
const CHUNK_DIGITS: usize = 9;

/// Canonical decimal text of little-endian two's-complement bytes (any length).
fn decimal_from_le(bytes: &[u8]) -> String {
    let negative = bytes.last().is_some_and(|last| last & 0x80 != 0);
    let mut limbs = magnitude_limbs(bytes, negative);
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
    if negative {
        text.push('-');
    }
    match chunks.split_last() {
        None => text.push('0'),
        Some((&most_significant, rest)) => {
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

/// The absolute value as little-endian 32-bit limbs.
fn magnitude_limbs(bytes: &[u8], negative: bool) -> Vec<u32> {
    let mut limbs = Vec::with_capacity(bytes.len().div_ceil(4) + 1);
    // Negating two's complement: invert every bit, then add one.
    let mut carry = u64::from(negative);
    for group in bytes.chunks(4) {
        let mut word = [if negative { 0xff } else { 0 }; 4];
        word[..group.len()].copy_from_slice(group);
        let mut limb = u32::from_le_bytes(word);
        if negative {
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

    fn le(value: i128, length: usize) -> Vec<u8> {
        let fill = if value < 0 { 0xff } else { 0 };
        let mut bytes = value.to_le_bytes().to_vec();
        bytes.resize(length, fill);
        bytes
    }

    #[test]
    fn decimal_matches_std_formatting() {
        for value in
            [0, 1, -1, 9, 10, -10, 999_999_999, 1_000_000_000, -1_000_000_000, i128::MAX, i128::MIN, -(1 << 64)]
        {
            for length in [16, 17, 24, 33] {
                assert_eq!(decimal_from_le(&le(value, length)), value.to_string(), "{value} in {length} bytes");
            }
        }
    }

    #[test]
    fn small_values_fit_only_within_16_bytes() {
        assert_eq!(small_from_le(&le(-5, 2)), Some(-5));
        assert_eq!(small_from_le(&le(i128::MIN, 16)), Some(i128::MIN));
        assert_eq!(small_from_le(&le(1, 17)), None);
        assert_eq!(small_from_le(&[]), None);
    }
}
