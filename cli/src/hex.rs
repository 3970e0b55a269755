//! Strict hex for `--hex` ids: exactly two digits `[0-9a-fA-F]` per byte and
//! nothing else. A radix parser (`u8::from_str_radix`) also takes a leading
//! `+`, which would sign a different id than the one meant.

pub const ODD_LENGTH: &str = "a --hex user id needs an even number of hex digits";
pub const NOT_A_DIGIT: &str = "a --hex user id may contain only hex digits (0-9, a-f, A-F), two per byte";

/// Decodes `digits` into its own buffer, so a long id is held once: byte `i`
/// comes from digits `2i` and `2i + 1`, which are read before it is written.
pub fn decode_in_place(digits: &mut Vec<u8>) -> Result<(), &'static str> {
    if !digits.len().is_multiple_of(2) {
        return Err(ODD_LENGTH);
    }
    let bytes = digits.len() / 2;
    for i in 0..bytes {
        digits[i] = (value(digits[2 * i])? << 4) | value(digits[2 * i + 1])?;
    }
    digits.truncate(bytes);
    Ok(())
}

fn value(digit: u8) -> Result<u8, &'static str> {
    match digit {
        b'0'..=b'9' => Ok(digit - b'0'),
        b'a'..=b'f' => Ok(digit - b'a' + 10),
        b'A'..=b'F' => Ok(digit - b'A' + 10),
        _ => Err(NOT_A_DIGIT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Result<Vec<u8>, &'static str> {
        let mut buffer = text.as_bytes().to_vec();
        decode_in_place(&mut buffer).map(|()| buffer)
    }

    #[test]
    fn every_byte_in_both_cases() {
        for byte in 0..=u8::MAX {
            assert_eq!(decode(&format!("{byte:02x}")), Ok(vec![byte]));
            assert_eq!(decode(&format!("{byte:02X}")), Ok(vec![byte]));
        }
        assert_eq!(decode(""), Ok(vec![]));
        assert_eq!(decode("00ff10Ab"), Ok(vec![0x00, 0xff, 0x10, 0xab]));
    }

    #[test]
    fn anything_but_digit_pairs_is_refused() {
        for text in ["+f", "-f", " f", "f ", "0x", "0g", "g0", "\u{0660}0", "f"] {
            assert!(decode(text).is_err(), "{text:?}");
        }
        for byte in (0..=u8::MAX).filter(|b| !b.is_ascii_hexdigit()) {
            assert_eq!(decode_in_place(&mut vec![b'0', byte]), Err(NOT_A_DIGIT), "{byte:#04x}");
            assert_eq!(decode_in_place(&mut vec![byte, b'0']), Err(NOT_A_DIGIT), "{byte:#04x}");
        }
    }
}
