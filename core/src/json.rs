//! The user JSON (SPEC.md section 9): compact, keys in a fixed order, and
//! escaped so that it is safe inside an HTML `<script>` element.

use crate::error::Error;
use crate::identity::{with_id_text, Identity, Trait, TraitValue};
use crate::time::{write_date, write_timestamp};

/// What `write_string` does with each byte: copy it, or stop and look.
const COPY: u8 = 0;
/// A byte that is always escaped (ASCII only).
const ESCAPE: u8 = 1;
/// The lead byte of U+2028 and U+2029 (and of other characters, which are copied).
const MAYBE_SEPARATOR: u8 = 2;

static JSON_BYTES: [u8; 256] = {
    let mut table = [COPY; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = ESCAPE;
        byte += 1;
    }
    table[b'"' as usize] = ESCAPE;
    table[b'\\' as usize] = ESCAPE;
    table[b'<' as usize] = ESCAPE;
    table[b'>' as usize] = ESCAPE;
    table[b'&' as usize] = ESCAPE;
    table[0xe2] = MAYBE_SEPARATOR;
    table
};

/// Appends `"text"` with JSON escapes plus `<` `>` `&` U+2028 U+2029 as `\uXXXX`.
/// Runs of bytes that need nothing are copied whole.
pub(crate) fn write_string(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push('"');
    let mut clean_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let escaped: &str = match JSON_BYTES[usize::from(byte)] {
            COPY => {
                at += 1;
                continue;
            }
            ESCAPE => match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                b'<' => "\\u003c",
                b'>' => "\\u003e",
                b'&' => "\\u0026",
                _ => {
                    // `at` and `at + 1` are ASCII, so both are character boundaries.
                    out.push_str(&text[clean_from..at]);
                    push_control(out, byte);
                    at += 1;
                    clean_from = at;
                    continue;
                }
            },
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
            _ => match bytes.get(at + 1..at + 3) {
                Some([0x80, 0xa8]) => "\\u2028",
                Some([0x80, 0xa9]) => "\\u2029",
                _ => {
                    at += 1;
                    continue;
                }
            },
        };
        // `at` is ASCII or a lead byte: a character boundary.
        out.push_str(&text[clean_from..at]);
        out.push_str(escaped);
        at += if byte == 0xe2 { 3 } else { 1 };
        clean_from = at;
    }
    out.push_str(&text[clean_from..]);
    out.push('"');
}

fn push_control(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u00");
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0x0f)]));
}

/// Appends a value as JSON: integers as numbers, everything else as strings.
pub(crate) fn write_value(out: &mut String, value: &TraitValue<'_>) {
    match *value {
        TraitValue::Text(text) => write_string(out, text),
        TraitValue::Integer(value) => write_integer(out, value),
        TraitValue::Date { year, month, day } => {
            out.push('"');
            write_date(out, year, month, day);
            out.push('"');
        }
        TraitValue::Timestamp(seconds) => {
            out.push('"');
            write_timestamp(out, seconds, ":");
            out.push('"');
        }
    }
}

/// Appends an integer in decimal, without `fmt` (which costs more than the rest of a short value).
pub(crate) fn write_integer(out: &mut String, value: i128) {
    let mut digits = [0u8; 40];
    let mut start = digits.len();
    let magnitude = value.unsigned_abs();
    // 64-bit division is several times cheaper than 128-bit, and covers every trait value.
    match u64::try_from(magnitude) {
        Ok(mut small) => loop {
            start -= 1;
            digits[start] = b'0' + (small % 10) as u8;
            small /= 10;
            if small == 0 {
                break;
            }
        },
        Err(_) => {
            let mut large = magnitude;
            loop {
                start -= 1;
                digits[start] = b'0' + (large % 10) as u8;
                large /= 10;
                if large == 0 {
                    break;
                }
            }
        }
    }
    if value < 0 {
        out.push('-');
    }
    out.extend(digits[start..].iter().map(|&digit| char::from(digit)));
}

/// The user's fields without the closing brace: `{"id":"..","email":..,"name":..,traits..`,
/// so a renderer can append its own last field. The identity was validated.
pub(crate) fn write_user_fields(out: &mut String, identity: &Identity<'_>) -> Result<(), Error> {
    out.push_str("{\"id\":");
    with_id_text(&identity.id, |id| write_string(out, id))?;
    for (key, text) in [("email", identity.email), ("name", identity.name)] {
        if let Some(text) = text {
            out.push_str(",\"");
            out.push_str(key);
            out.push_str("\":");
            write_string(out, text);
        }
    }
    write_traits(out, &identity.traits);
    Ok(())
}

fn write_traits(out: &mut String, traits: &[Trait<'_>]) {
    for item in traits {
        // Names match [A-Za-z_][A-Za-z0-9_]*: nothing to escape.
        out.push_str(",\"");
        out.push_str(item.name);
        out.push_str("\":");
        write_value(out, &item.value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        write_string(&mut out, text);
        out
    }

    #[test]
    fn escapes_for_script_context() {
        assert_eq!(escaped("</script>"), r#""\u003c/script\u003e""#);
        assert_eq!(escaped("a&b\u{2028}\u{2029}"), r#""a\u0026b\u2028\u2029""#);
        assert_eq!(
            escaped("\"\\\u{8}\u{c}\n\r\t\0\u{1f}\u{7f}/é"),
            "\"\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\u{7f}/é\""
        );
        // Other characters with the separators' lead byte are copied.
        assert_eq!(escaped("\u{2027}\u{202a}€x\u{2028}"), "\"\u{2027}\u{202a}€x\\u2028\"");
    }

    #[test]
    fn integers_in_decimal() {
        for value in [0, 7, -7, 10, 2_147_483_647, -2_147_483_647, i128::from(u64::MAX) + 1, i128::MIN, i128::MAX] {
            let mut out = String::from("x");
            write_integer(&mut out, value);
            assert_eq!(out, format!("x{value}"));
        }
    }

    proptest::proptest! {
        /// serde_json's escaping plus the script-safe escapes of SPEC.md section 9.2.
        #[test]
        fn equals_serde_json_with_script_escapes(text in "\\PC*|[\\x00-\\x7f\u{2026}-\u{202a}]*") {
            let mut expected = serde_json::to_string(&text).unwrap();
            for (raw, escape) in [("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                                  ("\u{2028}", "\\u2028"), ("\u{2029}", "\\u2029")] {
                expected = expected.replace(raw, escape);
            }
            proptest::prop_assert_eq!(escaped(&text), expected);
        }
    }
}
