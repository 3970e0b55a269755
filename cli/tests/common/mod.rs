//! Shared by the CLI's process-level tests: run the binary, read the vectors
//! (signatures produced by the reference implementations, never by us).
// Each test file is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_refiner-identity");
pub const SECRET: &str = "cli-test-secret-that-must-never-leak";

pub fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/vectors.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The binary with REFINER_SECRET_KEY set to `secret` (or unset).
pub fn command(secret: Option<&str>) -> Command {
    let mut command = Command::new(BIN);
    command.env_remove("REFINER_SECRET_KEY");
    if let Some(secret) = secret {
        command.env("REFINER_SECRET_KEY", secret);
    }
    command
}

/// Starts `command` with its standard input, output and error all pipes.
pub fn spawn_piped(command: &mut Command) -> Child {
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
}

pub fn run<A: AsRef<OsStr>>(secret: Option<&str>, args: &[A], stdin: &[u8]) -> Output {
    let mut child = spawn_piped(command(secret).args(args));
    // Fed from a thread, so a child that writes much before it has read everything cannot block on us.
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let feeder = std::thread::spawn(move || match input.write_all(&stdin) {
        // A child that stops early (a usage error, a bad row) may leave its input unread.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.unwrap(),
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Vector cases with a text secret and a hex user id: (secret, id bytes, signature).
pub fn binary_id_cases() -> Vec<(String, Vec<u8>, String)> {
    vectors()["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|case| {
            let secret = case["secret"].get("text")?.as_str()?;
            let id = hex_bytes(case["user_id"].get("hex")?.as_str()?);
            Some((secret.to_owned(), id, case["signature"].as_str()?.to_owned()))
        })
        .collect()
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

/// An id error, a usage error or a refused secret: exit 2, a message, no panic, no secret.
pub fn assert_clean_failure(out: &Output, what: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
    assert!(stderr.starts_with("refiner-identity: "), "{what}: {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{what}: {stderr}");
    assert!(!stderr.contains(SECRET) && !text(&out.stdout).contains(SECRET), "{what} leaked the secret: {stderr}");
}

/// The standard-library reference for `links` (Python csv + hmac + urllib.parse).
pub const LINKS_REFERENCE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/references/channels/links_reference.py");

/// The reference's rendering of the CSV file `input` under SECRET: its output
/// (written to `output` when given) as `{"sha256", "rows", "spot": {"i": [cells]}}`.
pub fn links_reference(input: &std::path::Path, url: &str, output: Option<&std::path::Path>, spot: &[usize]) -> Value {
    let spot: Vec<String> = spot.iter().map(usize::to_string).collect();
    let mut python = Command::new("python3");
    python.env("REFINER_SECRET_KEY", SECRET).arg(LINKS_REFERENCE).arg("--survey-url").arg(url);
    python.arg("--spot").arg(spot.join(","));
    if let Some(output) = output {
        python.arg("--output").arg(output);
    }
    let out = python.arg(input).output().expect("python3 runs the links reference");
    assert!(out.status.success(), "reference failed: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A file path under the target's scratch directory, unique to this process and `name`.
pub fn scratch(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{}-{name}", std::process::id()))
}
