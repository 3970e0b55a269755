//! `--hex` takes exactly two hex digits per byte: a sign, a space or a
//! prefix is an error, never a different id.

mod common;

use common::{assert_clean_failure, binary_id_cases, run, text, SECRET};

const NOT_HEX: [&str; 9] = ["+f", "+0ff", "-f", " f", "f ", "0x0f", "0g", "abc", "\u{ff10}f"];

#[test]
fn malformed_hex_arguments_are_refused() {
    for id in NOT_HEX {
        let out = run(Some(SECRET), &["sign", "--hex", "--", id], b"");
        assert_clean_failure(&out, id);
        assert!(text(&out.stderr).contains("hex"), "{id:?}: {}", text(&out.stderr));
        assert!(text(&out.stdout).is_empty(), "{id:?} signed something");
    }
}

#[test]
fn malformed_hex_lines_are_refused_with_their_line_number() {
    for id in NOT_HEX {
        let out = run(Some(SECRET), &["sign", "--hex", "--stdin"], format!("00\n{id}\n").as_bytes());
        assert_clean_failure(&out, id);
        assert!(text(&out.stderr).contains("line 2"), "{id:?}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout).lines().count(), 1, "{id:?}");
    }
}

#[test]
fn both_cases_of_hex_digits_decode() {
    for (secret, id, expected) in binary_id_cases() {
        let upper: String = id.iter().map(|b| format!("{b:02X}")).collect();
        let out = run(Some(&secret), &["sign", "--hex", &upper], b"");
        assert_eq!(text(&out.stdout), format!("{expected}\n"), "{upper}: {}", text(&out.stderr));
    }
}
