//! `sign --stdin` holds a long line once: the child's peak resident set stays
//! near the line's size (a copy of the line, or of its decoded bytes, would
//! add 100% or 50%). The peak is read from /proc while the child waits for
//! more input, so it is this child's alone.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use common::{command, spawn_piped, text, SECRET};

const LINE_BYTES: usize = 100_000_000;

/// Python's standard-library HMAC of `message` under SECRET.
fn reference_signature(message: &[u8]) -> String {
    let script = "import hashlib, hmac, sys\n\
                  print(hmac.new(sys.argv[1].encode(), sys.stdin.buffer.read(), hashlib.sha256).hexdigest())";
    let mut python = Command::new("python3")
        .args(["-c", script, SECRET])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs the reference HMAC");
    python.stdin.take().unwrap().write_all(message).unwrap();
    let out = python.wait_with_output().unwrap();
    assert!(out.status.success());
    text(&out.stdout).trim().to_owned()
}

/// Peak resident set size of a running process, in bytes.
fn peak_rss(pid: u32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|line| line.starts_with("VmHWM:")).unwrap();
    let kib: usize = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

/// Feeds one `line` to `sign --stdin` (plus `extra_args`); returns its output line and peak RSS.
fn sign_one_long_line(extra_args: &[&str], line: &[u8]) -> (String, usize) {
    let mut child = spawn_piped(command(Some(SECRET)).args(["sign", "--stdin"]).args(extra_args));
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(line).unwrap();
    stdin.write_all(b"\n").unwrap();
    stdin.flush().unwrap();
    let mut signature = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut signature).unwrap();
    // The output came after the whole line was held and signed; the child now waits for more.
    let peak = peak_rss(child.id());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    (signature.trim().to_owned(), peak)
}

fn assert_held_once(peak: usize) {
    // 1.25x: the line once plus the process's own few megabytes.
    let limit = LINE_BYTES + LINE_BYTES / 4;
    assert!(peak < limit, "peak RSS {peak} bytes for a {LINE_BYTES}-byte line (limit {limit})");
}

#[test]
fn a_long_line_is_held_once() {
    let id = vec![b'a'; LINE_BYTES];
    let (signature, peak) = sign_one_long_line(&[], &id);
    assert_eq!(signature, reference_signature(&id));
    assert_held_once(peak);
}

#[test]
fn a_long_hex_line_is_decoded_in_place() {
    let hex = b"c3a9".repeat(LINE_BYTES / 4);
    let (signature, peak) = sign_one_long_line(&["--hex"], &hex);
    assert_eq!(signature, reference_signature(&"é".repeat(LINE_BYTES / 4).into_bytes()));
    assert_held_once(peak);
}
