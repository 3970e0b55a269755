//! Loads the shared vectors file for the core's tests: tests/data/vectors.json, a symlink to the
//! repository's tests/vectors/vectors.json that `cargo package` turns into a copy inside the crate.
#![allow(dead_code)]

use serde_json::Value;

pub fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors.json");
    let text = std::fs::read_to_string(path).expect("tests/data/vectors.json is readable");
    serde_json::from_str(&text).expect("vectors.json is JSON")
}

/// The bytes of a tagged value ({"text": ..} or {"hex": ..}).
pub fn tagged_bytes(value: &Value) -> Option<Vec<u8>> {
    if let Some(text) = value.get("text") {
        return Some(text.as_str()?.as_bytes().to_vec());
    }
    let hex = value.get("hex")?.as_str()?;
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok()).collect()
}

/// Lowercase hex of a MAC computed by the RustCrypto `hmac` crate, an implementation independent of ours.
pub fn independent_hmac_hex(key: &[u8], message: &[u8]) -> String {
    use hmac::{KeyInit, Mac};
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}
