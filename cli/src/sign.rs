//! `sign`: one signature per user id, one per line.

use std::io::{self, BufRead, BufReader, BufWriter, Write};

use refiner_identity::{Signer, UserId};

use crate::{hex, output, Failure};

/// Signs the USER_ID arguments (bytes, hex-decoded with `--hex`).
pub fn arguments(signer: &Signer, user_ids: Vec<Vec<u8>>, hex_ids: bool) -> Result<(), Failure> {
    let mut out = BufWriter::new(io::stdout().lock());
    for mut id in user_ids {
        if hex_ids {
            hex::decode_in_place(&mut id).map_err(|e| Failure::Error(e.into()))?;
        }
        let signature = signer.sign(UserId::Bytes(&id)).map_err(|e| Failure::Error(e.to_string()))?;
        writeln!(out, "{signature}").map_err(output::write_failed)?;
    }
    out.flush().map_err(output::write_failed)
}

/// Streams ids from stdin, one per line, each line held once (hex is decoded
/// in its own buffer). Output is flushed whenever input runs dry, so a
/// long-lived process can be fed in batches.
pub fn stdin(signer: &Signer, hex_ids: bool) -> Result<(), Failure> {
    let mut input = BufReader::with_capacity(1 << 16, io::stdin().lock());
    let mut out = BufWriter::new(io::stdout().lock());
    let mut line = Vec::new();
    let mut line_number = 0usize;
    loop {
        line.clear();
        let read = input
            .read_until(b'\n', &mut line)
            .map_err(|e| Failure::Error(format!("cannot read standard input: {e}")))?;
        if read == 0 {
            break;
        }
        line_number += 1;
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        if hex_ids {
            hex::decode_in_place(&mut line).map_err(|e| Failure::Error(format!("line {line_number}: {e}")))?;
        }
        let signature =
            signer.sign(UserId::Bytes(&line)).map_err(|e| Failure::Error(format!("line {line_number}: {e}")))?;
        writeln!(out, "{signature}").map_err(output::write_failed)?;
        if input.buffer().is_empty() {
            out.flush().map_err(output::write_failed)?;
        }
    }
    out.flush().map_err(output::write_failed)
}
