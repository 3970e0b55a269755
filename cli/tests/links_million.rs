//! `links` on 1,000,000 CSV rows (fixed seed, hostile cells) against the
//! standard-library reference: the SHA-256 of the whole output, the row count
//! and spot rows (around the chunk boundaries among them) must all agree. The
//! CLI is built in release for this (a debug build takes minutes here); the
//! output is hashed and parsed as it streams, never stored.

mod common;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{ChildStdin, Command, Stdio};

use common::{links_reference, scratch, text, SECRET};
use serde_json::Value;

const ROWS: usize = 1_000_000;
const URL: &str = "https://survey.refiner.example/s/abc?src=mail&x=%20#top";
const SPOT: [usize; 12] = [0, 1, 2, 4_095, 4_096, 8_191, 8_192, 16_384, 123_457, 500_000, 999_998, 999_999];

/// splitmix64: a fixed seed gives the same rows on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const NAMES: [&str; 10] = [
    "",
    "Ada Lovelace",
    "Grace \"Amazing\" Hopper",
    "Doe, Jane",
    "two\nlines",
    "carriage\rreturn",
    "crlf\r\nend",
    "</script><script>alert(1)</script>",
    "Zo\u{eb} \u{1F680}\u{2028}\u{2029}",
    "<!-- a&b=c?d#e%20+f -->",
];
const PLANS: [&str; 6] = ["free", "pro", "team, annual", "enterprise \"gold\"", "caf\u{e9} \u{1F680}", ""];
const LOCALES: [&str; 4] = ["", "en", "de-CH", "pt_BR"];
const TAGS: [&str; 4] = ["", "beta", "beta,vip", "a b,\u{1F680}"];

/// The input: id, email, name, locale, tags and three traits (plan, seats, note).
fn write_input(path: &PathBuf) {
    let mut rng = Rng(20_240_229);
    let mut writer = csv::WriterBuilder::new().buffer_capacity(1 << 16).from_path(path).unwrap();
    writer.write_record(["id", "email", "name", "locale", "tags", "plan", "seats", "note"]).unwrap();
    for i in 0..ROWS {
        let id = match i % 4 {
            0 => format!("{}", 10_000_000 + i),
            1 => format!("user-{i}"),
            2 => format!("\u{fc}ser \"{i}\", \u{1F680}"),
            _ => format!("{i}</script>\n"),
        };
        let email = if rng.next().is_multiple_of(4) { String::new() } else { format!("person+{i}@example.com") };
        let seats = if rng.next().is_multiple_of(5) { String::new() } else { format!("{}", rng.next() % 5000) };
        let note = match rng.next() % 8 {
            0 => String::new(),
            1 => format!("line\u{2028}{i}"),
            _ => rng.pick(&NAMES).to_owned(),
        };
        let name = rng.pick(&NAMES);
        let (locale, tags, plan) = (rng.pick(&LOCALES), rng.pick(&TAGS), rng.pick(&PLANS));
        writer.write_record([id.as_str(), &email, name, locale, tags, plan, &seats, &note]).unwrap();
    }
    writer.flush().unwrap();
}

/// `target/release/refiner-identity`, built now (a no-op when it is up to date).
fn release_binary() -> PathBuf {
    let out = Command::new(env!("CARGO"))
        .args(["build", "--release", "-q", "-p", "refiner-identity-cli", "--message-format=json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo builds the release CLI");
    assert!(out.status.success());
    text(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["target"]["name"] == "refiner-identity")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the executable")
}

/// Python's hashlib hashes the output as it streams (sha2 in a debug test build would take longest of all).
const SHA256_OF_STDIN: &str = "import hashlib, sys\n\
                               digest = hashlib.sha256()\n\
                               for block in iter(lambda: sys.stdin.buffer.read(1 << 20), b''):\n    digest.update(block)\n\
                               print(digest.hexdigest())";

/// Hands every byte the CSV parser reads to the hashing process too.
struct Tee<R> {
    inner: R,
    copy: ChildStdin,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.copy.write_all(&buffer[..read])?;
        Ok(read)
    }
}

#[test]
fn a_million_rows_match_the_reference() {
    let binary = release_binary();
    let input = scratch("million.csv");
    write_input(&input);
    let mut child = Command::new(&binary)
        .env("REFINER_SECRET_KEY", SECRET)
        .args(["links", "--survey-url", URL, "--input"])
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reference runs meanwhile (it is the slow part).
    let reference = std::thread::spawn({
        let input = input.clone();
        move || links_reference(&input, URL, None, &SPOT)
    });
    let mut hasher = Command::new("python3")
        .args(["-c", SHA256_OF_STDIN])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 hashes the output");
    let stdout = Tee { inner: child.stdout.take().unwrap(), copy: hasher.stdin.take().unwrap() };
    let mut csv = csv::ReaderBuilder::new().has_headers(true).from_reader(stdout);
    let header = csv.headers().unwrap().clone();
    assert_eq!(
        &header,
        vec!["id", "email", "name", "locale", "tags", "plan", "seats", "note", "signature", "survey_link"]
    );
    let mut spot = serde_json::Map::new();
    let mut rows = 0usize;
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record).unwrap() {
        if SPOT.contains(&rows) {
            spot.insert(rows.to_string(), record.iter().collect::<Vec<_>>().into());
        }
        rows += 1;
    }
    let mut stdout = csv.into_inner();
    std::io::copy(&mut stdout, &mut std::io::sink()).unwrap();
    let out = child.wait_with_output().unwrap();
    let reference = reference.join().unwrap();
    std::fs::remove_file(&input).unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(rows, ROWS);
    assert_eq!(reference["rows"], ROWS);
    for index in SPOT {
        assert_eq!(spot[&index.to_string()], reference["spot"][index.to_string()], "row {index}");
    }
    drop(stdout);
    let sha256 = hasher.wait_with_output().unwrap();
    assert_eq!(text(&sha256.stdout).trim(), reference["sha256"].as_str().unwrap(), "SHA-256 of the whole output");
}
