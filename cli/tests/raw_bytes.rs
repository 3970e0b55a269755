//! Arguments are bytes on Unix: an id that is not UTF-8 signs its bytes
//! (as `--stdin` does), wherever it appears, and never panics.

mod common;

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use common::{assert_clean_failure, binary_id_cases, run, text, SECRET};

fn os(bytes: &[u8]) -> OsString {
    OsString::from_vec(bytes.to_vec())
}

#[test]
fn non_utf8_ids_sign_their_bytes() {
    // An argument cannot hold a NUL byte.
    let cases: Vec<_> = binary_id_cases()
        .into_iter()
        .filter(|(_, id, _)| std::str::from_utf8(id).is_err() && !id.contains(&0))
        .collect();
    assert!(cases.len() >= 3, "{}", cases.len());
    for (secret, id, expected) in &cases {
        let id = os(id);
        let plain = run(Some(secret), &[OsString::from("sign"), id.clone()], b"");
        assert_eq!(text(&plain.stdout), format!("{expected}\n"), "{id:?}: {}", text(&plain.stderr));
        let after_dashes = run(Some(secret), &["sign".into(), "--".into(), id.clone()], b"");
        assert_eq!(text(&after_dashes.stdout), format!("{expected}\n"), "{id:?}: {}", text(&after_dashes.stderr));
        let verify = run(Some(secret), &["verify".into(), "--".into(), id.clone(), expected.into()], b"");
        assert_eq!(verify.status.code(), Some(0), "{id:?}: {}", text(&verify.stderr));
    }
}

#[test]
fn a_non_utf8_signature_is_simply_invalid() {
    let out = run(Some(SECRET), &["verify".into(), "42".into(), os(&[0xff; 64])], b"");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

#[test]
fn a_non_utf8_secret_file_path_is_a_path() {
    let (secret, id, expected) = binary_id_cases().remove(0);
    let dir = std::env::temp_dir().join(format!("refiner-identity-cli-raw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(std::ffi::OsStr::from_bytes(b"key-\xff\xfe"));
    std::fs::write(&path, &secret).unwrap();
    let out = run(None, &["sign".into(), "--secret-file".into(), path.clone().into_os_string(), os(&id)], b"");
    let gone: OsString = dir.join(os(b"gone-\xff")).into();
    let missing = run(None, &["sign".into(), "--secret-file".into(), gone, "1".into()], b"");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(text(&out.stdout), format!("{expected}\n"), "{}", text(&out.stderr));
    assert_clean_failure(&missing, "missing non-UTF-8 secret file");
    assert!(text(&missing.stderr).contains("cannot read --secret-file"), "{}", text(&missing.stderr));
}

#[test]
fn non_utf8_options_and_commands_are_usage_errors() {
    let cases: [Vec<OsString>; 4] = [
        vec![os(b"\xff"), "1".into()],
        vec!["sign".into(), os(b"--\xff")],
        vec!["sign".into(), os(b"--secret=\xff"), "1".into()],
        vec!["sign".into(), "--hex".into(), os(b"0\xff")],
    ];
    for args in cases {
        assert_clean_failure(&run(Some(SECRET), &args, b""), &format!("{args:?}"));
    }
}
