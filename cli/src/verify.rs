//! `verify`: prints `valid` and succeeds, or reports a mismatch.

use std::io::{self, Write};

use refiner_identity::{Signer, UserId};

use crate::{hex, output, Failure};

/// True if `signature` is the signature of `user_id` (hex-decoded with `--hex`).
pub fn run(signer: &Signer, mut user_id: Vec<u8>, signature: &[u8], hex_id: bool) -> Result<bool, Failure> {
    if hex_id {
        hex::decode_in_place(&mut user_id).map_err(|e| Failure::Error(e.into()))?;
    }
    let valid = signer.verify(UserId::Bytes(&user_id), signature).map_err(|e| Failure::Error(e.to_string()))?;
    if valid {
        let mut out = io::stdout().lock();
        writeln!(out, "valid").and_then(|()| out.flush()).map_err(output::write_failed)?;
    }
    Ok(valid)
}
