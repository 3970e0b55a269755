//! Percent-encoding for survey links: every byte outside `A-Z a-z 0-9 - . _ ~`
//! as `%XX` in upper case (a space is `%20`), identical in every language.

pub(crate) fn write_encoded(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// Decodes `%XX` sequences (malformed ones are kept as they are), for comparing
/// the parameter names already in a base URL with ours.
pub(crate) fn decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes.get(at + 1..at + 3).and_then(|pair| Some((hex_digit(pair[0])? << 4) | hex_digit(pair[1])?));
        match (bytes[at], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                at += 3;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    out
}

fn hex_digit(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).and_then(|value| u8::try_from(value).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved() {
        let mut out = String::new();
        write_encoded(&mut out, "a b+c/é~._-");
        assert_eq!(out, "a%20b%2Bc%2F%C3%A9~._-");
        assert_eq!(decode("contact%5Fid%zz%+1%4"), b"contact_id%zz%+1%4");
    }
}
