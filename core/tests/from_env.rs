//! `Signer::from_env`. Its own test binary with a single test: changing the
//! environment is only sound while no other thread reads it, and the tests of
//! one binary run in parallel threads.

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use refiner_identity::{Signer, UserId, DEFAULT_SECRET_ENV};

const SECRET: &str = "s3cr3t-KEY-value-that-must-never-leak";

fn signs_like_reference(signer: &Signer, secret: &[u8]) {
    assert_eq!(signer.sign(UserId::Text("42")).unwrap().as_str(), common::independent_hmac_hex(secret, b"42"));
}

#[test]
fn from_env_reads_raw_bytes_and_names_the_variable_never_the_value() {
    let name = "REFINER_IDENTITY_TEST_FROM_ENV";
    std::env::remove_var(name);
    let unset = Signer::from_env(name).unwrap_err().to_string();
    assert!(unset.contains(name) && unset.contains("not set"), "{unset}");

    std::env::set_var(name, "");
    let empty = Signer::from_env(name).unwrap_err().to_string();
    assert!(empty.contains(name) && empty.contains("empty"), "{empty}");

    std::env::set_var(name, format!("{SECRET}\n"));
    let padded = Signer::from_env(name).unwrap_err().to_string();
    assert!(padded.contains("newline") && !padded.contains(SECRET), "{padded}");

    std::env::set_var(name, SECRET);
    signs_like_reference(&Signer::from_env(name).unwrap(), SECRET.as_bytes());

    // Not UTF-8: the bytes are the key, as is.
    let raw = b"k\xff\xfe-raw";
    std::env::set_var(name, OsStr::from_bytes(raw));
    signs_like_reference(&Signer::from_env(name).unwrap(), raw);
    std::env::remove_var(name);

    // `getenv("A=B")` would read the tail of variable A: such names are refused.
    std::env::set_var("REFINER_IDENTITY_TEST_A", format!("B={SECRET}"));
    for bad in ["REFINER_IDENTITY_TEST_A=B", "", "NUL\0NAME"] {
        let refused = Signer::from_env(bad).unwrap_err();
        assert_eq!(refused.kind(), refiner_identity::ErrorKind::InvalidSecret);
        let message = refused.to_string();
        assert!(
            message.contains("no environment variable can have that name") && !message.contains(SECRET),
            "{message}"
        );
    }
    std::env::remove_var("REFINER_IDENTITY_TEST_A");

    // The key passed where its variable's name belongs is not echoed back.
    let key_as_name = "sk_live_0123456789abcdef";
    let refused = Signer::from_env(key_as_name).unwrap_err();
    let (message, debug) = (refused.to_string(), format!("{refused:?}"));
    assert!(message.contains("whose name is not shown") && debug.contains("not shown"), "{message} / {debug}");
    assert!(!message.contains(key_as_name) && !debug.contains(key_as_name), "{message} / {debug}");

    std::env::set_var(DEFAULT_SECRET_ENV, SECRET);
    signs_like_reference(&Signer::from_default_env().unwrap(), SECRET.as_bytes());
    std::env::remove_var(DEFAULT_SECRET_ENV);
    let unset = Signer::from_default_env().unwrap_err().to_string();
    assert!(unset.contains(DEFAULT_SECRET_ENV), "{unset}");
}
