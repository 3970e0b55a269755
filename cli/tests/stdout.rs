//! Standard output: closed before the start (`>&-`) is an error, since the
//! signatures would go nowhere; a reader that leaves (`| head -1`) ends the
//! run quietly with exit 0, as SPEC section 7 says.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::{command, spawn_piped, text, BIN, SECRET};

/// Runs the binary with file descriptor 1 closed, as `>&-` does in a shell.
fn with_stdout_closed(args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(r#"exec "$0" "$@" >&-"#)
        .arg(BIN)
        .args(args)
        .env("REFINER_SECRET_KEY", SECRET)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn closed_stdout_is_an_error() {
    let signature = text(&common::run(Some(SECRET), &["sign", "42"], b"").stdout);
    for args in [vec!["sign", "42"], vec!["sign", "--stdin"], vec!["verify", "42", signature.trim()], vec!["--help"]] {
        let out = with_stdout_closed(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("standard output is closed"), "{args:?}: {stderr}");
    }
}

#[test]
fn output_to_dev_null_still_works() {
    let out = command(Some(SECRET)).args(["sign", "42"]).stdout(Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// Runs the binary with its stdout a pipe whose reader has already gone.
fn with_reader_gone(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = spawn_piped(command(Some(SECRET)).args(args));
    drop(child.stdout.take());
    // The child may stop reading once its output fails; that is the point.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn a_reader_that_leaves_ends_the_run_quietly() {
    let signature = text(&common::run(Some(SECRET), &["sign", "42"], b"").stdout);
    let many_ids = "42\n".repeat(100_000);
    let runs: [(Vec<&str>, &[u8]); 4] = [
        (vec!["sign", "1", "2", "3"], b""),
        (vec!["sign", "--stdin"], many_ids.as_bytes()),
        (vec!["verify", "42", signature.trim()], b""),
        (vec!["--help"], b""),
    ];
    for (args, stdin) in runs {
        let out = with_reader_gone(&args, stdin);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out.stderr));
    }
}
