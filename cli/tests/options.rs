//! Option parsing: a value given to an option that does not take one is never
//! echoed (it may be a secret); only the part before `=` is named.

mod common;

use common::{assert_clean_failure, binary_id_cases, run, text, SECRET};

#[test]
fn secret_options_are_refused_without_echoing_their_value() {
    for option in ["--secret", "--key"] {
        let out = run(Some("unused"), &["sign", &format!("{option}={SECRET}"), "42"], b"");
        assert_clean_failure(&out, option);
        let stderr = text(&out.stderr);
        assert!(stderr.contains(&format!("{option} is not accepted")) && stderr.contains("ps"), "{stderr}");
    }
}

#[test]
fn unknown_options_are_named_without_their_value() {
    for option in ["--token", "--api-key", "--stdin-file"] {
        let out = run(Some("unused"), &["sign", &format!("{option}={SECRET}"), "42"], b"");
        assert_clean_failure(&out, option);
        assert!(text(&out.stderr).contains(&format!("unknown option {option}\n")), "{}", text(&out.stderr));
    }
}

#[test]
fn flags_given_a_value_are_refused_without_echoing_it() {
    for flag in ["--hex", "--stdin", "--help"] {
        let out = run(Some("unused"), &["sign", &format!("{flag}={SECRET}"), "42"], b"");
        assert_clean_failure(&out, flag);
        assert!(text(&out.stderr).contains(&format!("{flag} takes no value")), "{}", text(&out.stderr));
    }
}

#[test]
fn secret_file_takes_its_path_after_an_equals_sign_too() {
    let (secret, id, expected) = binary_id_cases().remove(0);
    let path = std::env::temp_dir().join(format!("refiner-identity-cli-opt-{}", std::process::id()));
    std::fs::write(&path, &secret).unwrap();
    let id_hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let out = run(None, &["sign", "--hex", &format!("--secret-file={}", path.display()), &id_hex], b"");
    std::fs::remove_file(&path).unwrap();
    assert_eq!(text(&out.stdout), format!("{expected}\n"), "{}", text(&out.stderr));
}

#[test]
fn an_option_given_twice_is_refused() {
    let out = run(Some("unused"), &["sign", "--secret-file", "a", "--secret-file=b", "42"], b"");
    assert_clean_failure(&out, "--secret-file twice");
    assert!(text(&out.stderr).contains("--secret-file is given twice"), "{}", text(&out.stderr));
}
