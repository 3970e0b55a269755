//! Oracles the fuzz targets share, written from SPEC.md and RFC 2104
//! independently of the core: the reference MAC is the RustCrypto `hmac` crate.

use hmac::{KeyInit, Mac};

/// Lowercase hex of HMAC-SHA256(key, message) by the RustCrypto `hmac` crate.
pub fn reference_hex(key: &[u8], message: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().iter().map(|byte| format!("{byte:02x}")).collect()
}

/// SPEC section 2: empty, or starting or ending with a space, tab, CR or LF.
pub fn spec_refuses_secret(key: &[u8]) -> bool {
    let padded = |byte: Option<&u8>| matches!(byte, Some(b' ' | b'\t' | b'\r' | b'\n'));
    key.is_empty() || padded(key.first()) || padded(key.last())
}

/// SPEC section 3: canonical decimal is what a big-integer library prints back
/// for the value it parses (no sign but '-', no leading zero, no "-0").
pub fn spec_canonical_decimal(text: &str) -> bool {
    text.parse::<num_bigint::BigInt>().is_ok_and(|value| value.to_string() == text)
}

/// Keys that reach each path of the keyed state: short, exactly one block, longer (hashed).
pub const KEYS: [&[u8]; 4] = [
    b"k",
    b"refiner-secret-key",
    &[0x5a; 64],
    b"a key longer than the 64-byte SHA-256 block, so HMAC hashes it before padding it",
];
