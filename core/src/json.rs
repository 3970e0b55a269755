//! The user JSON (SPEC.md section 9): compact, keys in a fixed order, and
//! escaped so that it is safe inside an HTML `<script>` element.

use crate::error::Error;
use crate::identity::{with_id_text, Identity, Trait, TraitValue};
use crate::time::{write_date, write_timestamp};

/// Appends `"text"` with JSON escapes plus `<` `>` `&` U+2028 U+2029 as `\uXXXX`.
pub(crate) fn write_string(out: &mut String, text: &str) {
    out.push('"');
    let mut clean_from = 0;
    for (at, ch) in text.char_indices() {
        let escape: Option<&str> = match ch {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '<' => Some("\\u003c"),
            '>' => Some("\\u003e"),
            '&' => Some("\\u0026"),
            '\u{2028}' => Some("\\u2028"),
            '\u{2029}' => Some("\\u2029"),
            '\0'..='\u{1f}' => None,
            _ => continue,
        };
        out.push_str(&text[clean_from..at]);
        match escape {
            Some(escaped) => out.push_str(escaped),
            None => push_control(out, ch as u8),
        }
        clean_from = at + ch.len_utf8();
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
        TraitValue::Integer(value) => out.push_str(&value.to_string()),
        TraitValue::Date { year, month, day } => {
            out.push('"');
            write_date(out, year, month, day);
            out.push('"');
        }
        TraitValue::Timestamp(seconds) => {
            out.push('"');
            write_timestamp(out, seconds);
            out.push('"');
        }
    }
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
    }
}
