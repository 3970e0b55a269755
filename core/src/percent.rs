//! Percent-encoding for survey links: every byte outside `A-Z a-z 0-9 - . _ ~`
//! as `%XX` in upper case (a space is `%20`), identical in every language.

/// True for the bytes written as themselves.
static UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        byte += 1;
    }
    table
};

/// Appends `text` percent-encoded; runs of unreserved bytes are copied whole.
pub(crate) fn write_encoded(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = text.as_bytes();
    out.reserve(bytes.len());
    let mut clean_from = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        if UNRESERVED[usize::from(byte)] {
            continue;
        }
        // A run starts on an unreserved byte (ASCII) and ends before any byte:
        // both ends are character boundaries. Empty runs are skipped, since
        // `clean_from` may then sit inside a character that is being encoded.
        if clean_from < at {
            out.push_str(&text[clean_from..at]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        clean_from = at + 1;
    }
    if clean_from < bytes.len() {
        out.push_str(&text[clean_from..]);
    }
}

/// True when `raw` with its `%XX` sequences decoded (malformed ones kept as
/// they are) is `prefix` + `name`: how a base URL's parameter names are
/// compared with ours, without decoding into a buffer.
pub(crate) fn decodes_to(raw: &[u8], prefix: &str, name: &str) -> bool {
    // Decoding never lengthens, and shortens by at most two thirds.
    let wanted = prefix.len() + name.len();
    if raw.len() < wanted || raw.len() > wanted * 3 {
        return false;
    }
    let mut expected = prefix.bytes().chain(name.bytes());
    let mut at = 0;
    while at < raw.len() {
        let (byte, width) = match raw[at] {
            b'%' => {
                match raw.get(at + 1..at + 3).and_then(|pair| Some((hex_digit(pair[0])? << 4) | hex_digit(pair[1])?)) {
                    Some(byte) => (byte, 3),
                    None => (b'%', 1),
                }
            }
            byte => (byte, 1),
        };
        if expected.next() != Some(byte) {
            return false;
        }
        at += width;
    }
    expected.next().is_none()
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
        out.clear();
        write_encoded(&mut out, "é😀x€");
        assert_eq!(out, "%C3%A9%F0%9F%98%80x%E2%82%AC");
        assert!(decodes_to(b"contact%5Fid%zz%+1%4", "contact_", "id%zz%+1%4"));
        assert!(decodes_to(b"%63ontact_id", "", "contact_id"));
        assert!(decodes_to(b"contact_id", "contact_", "id"));
        assert!(!decodes_to(b"contact_id", "contact_", "i"));
        assert!(!decodes_to(b"contact_i", "contact_", "id"));
        assert!(!decodes_to(b"contact_id%", "contact_", "id"));
        assert!(!decodes_to(b"", "", "x"));
        assert!(decodes_to(b"", "", ""));
    }

    proptest::proptest! {
        /// Byte by byte, as SPEC.md section 9.6 words it.
        #[test]
        fn equals_bytewise_encoding(text in "\\PC*|[ -~]*") {
            let expected: String = text
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect();
            let mut out = String::new();
            write_encoded(&mut out, &text);
            proptest::prop_assert_eq!(out, expected);
        }
    }
}
