//! The command-line tool, run as a process, against the shared vectors
//! (signatures produced by the reference implementations).

mod common;

use common::{run, text, vectors, SECRET};

/// Text cases with a text secret that an environment variable can carry (no NUL).
fn env_safe_text_cases() -> Vec<(String, String, String)> {
    vectors()["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|case| {
            let secret = case["secret"].get("text")?.as_str()?;
            let id = case["user_id"].get("text")?.as_str()?;
            let ok = !secret.contains('\0') && !id.contains('\0') && !id.contains('\n');
            ok.then(|| (secret.to_owned(), id.to_owned(), case["signature"].as_str().unwrap().to_owned()))
        })
        .collect()
}

#[test]
fn sign_arguments_and_stdin_match_the_vectors() {
    let cases = env_safe_text_cases();
    assert!(cases.len() >= 50, "{}", cases.len());
    for (secret, id, expected) in &cases {
        let out = run(Some(secret), &["sign", "--", id], b"");
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), format!("{expected}\n"), "id {id:?}");
        let out = run(Some(secret), &["sign", "--stdin"], format!("{id}\n").as_bytes());
        assert_eq!(text(&out.stdout), format!("{expected}\n"), "stdin id {id:?}");
    }
}

#[test]
fn hex_ids_cover_binary_cases() {
    for case in vectors()["cases"].as_array().unwrap() {
        let (Some(secret), Some(id_hex)) = (case["secret"]["text"].as_str(), case["user_id"]["hex"].as_str()) else {
            continue;
        };
        let out = run(Some(secret), &["sign", "--hex", "--stdin"], format!("{id_hex}\n{id_hex}\n").as_bytes());
        let expected = case["signature"].as_str().unwrap();
        assert_eq!(text(&out.stdout), format!("{expected}\n{expected}\n"), "{}", case["name"]);
    }
}

#[test]
fn verify_exit_codes() {
    let (secret, id, expected) = env_safe_text_cases().remove(0);
    let out = run(Some(&secret), &["verify", "--", &id, &expected.to_uppercase()], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut wrong = expected.clone().into_bytes();
    wrong[10] = if wrong[10] == b'0' { b'1' } else { b'0' };
    let out = run(Some(&secret), &["verify", "--", &id, std::str::from_utf8(&wrong).unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("does not match"));
    let out = run(Some(&secret), &["verify", "--", &id, "not-hex"], b"");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn errors_are_clear_and_never_show_the_secret() {
    // (REFINER_SECRET_KEY, arguments, stdin, what stderr must say)
    type Check<'a> = (Option<String>, Vec<&'a str>, &'a [u8], &'a str);
    let checks: Vec<Check> = vec![
        (None, vec!["sign", "42"], b"", "REFINER_SECRET_KEY"),
        (Some(format!("{SECRET}\n")), vec!["sign", "42"], b"", "newline"),
        (Some(SECRET.into()), vec!["sign", ""], b"", "non-empty unique user identifier"),
        (Some(SECRET.into()), vec!["sign", "--stdin"], b"ok\n\n", "line 2"),
        (Some(SECRET.into()), vec!["sign", "--secret", SECRET, "42"], b"", "ps"),
        (Some(SECRET.into()), vec!["frobnicate"], b"", "unknown command"),
        (Some(SECRET.into()), vec!["sign", "--hex", "zz"], b"", "hex"),
        (Some(SECRET.into()), vec!["verify", "--stdin", "42", "00"], b"", "not --stdin"),
    ];
    for (secret, args, stdin, expected) in checks {
        let out = run(secret.as_deref(), &args, stdin);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains(SECRET) && !text(&out.stdout).contains(SECRET), "{args:?} leaked the secret");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn secret_file_is_read_as_is() {
    let dir = std::env::temp_dir().join(format!("refiner-identity-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (secret, id, expected) = env_safe_text_cases().remove(0);
    let exact = dir.join("exact");
    std::fs::write(&exact, &secret).unwrap();
    let out = run(None, &["sign", "--secret-file", exact.to_str().unwrap(), "--", &id], b"");
    assert_eq!(text(&out.stdout), format!("{expected}\n"), "{}", text(&out.stderr));
    let with_newline = dir.join("with-newline");
    std::fs::write(&with_newline, format!("{secret}\n")).unwrap();
    let out = run(None, &["sign", "--secret-file", with_newline.to_str().unwrap(), "42"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("newline") && !text(&out.stderr).contains(&secret));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn help_explains_the_secret_sources() {
    let out = run(None, &["--help"], b"");
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("REFINER_SECRET_KEY") && text(&out.stdout).contains("--secret-file"));
}
