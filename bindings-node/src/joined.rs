//! Cuts the UTF-8 of many strings read as one (the `readStrings` helper joins
//! them) back into one id per string, given each string's UTF-16 length.
//! A surrogate pair formed across two ids (a lone high surrogate ending one,
//! a lone low surrogate starting the next) is two lone surrogates, and each
//! becomes U+FFFD, as each string alone would give.

use refiner_identity::UserIdBatch;

const REPLACEMENT: [u8; 3] = [0xef, 0xbf, 0xbd];

/// Appends the ids of one segment to `batch`: `utf8` is their strings joined,
/// `lengths` each one's UTF-16 length. `Err` only if the two disagree (a bug).
pub fn push_joined(batch: &mut UserIdBatch, utf8: &[u8], lengths: &[u32]) -> Result<(), Mismatch> {
    let total_units: usize = lengths.iter().map(|&units| units as usize).sum();
    // Only ASCII has as many UTF-8 bytes as UTF-16 units (every other character
    // has more): then each id is its length in bytes, no per-character walk.
    if utf8.len() == total_units {
        let mut position = 0;
        for &units in lengths {
            batch.push_bytes(&utf8[position..position + units as usize]);
            position += units as usize;
        }
        return Ok(());
    }
    let mut position = 0;
    let mut owed_low_half = false;
    for &units in lengths {
        let mut remaining = units as usize;
        batch.push_bytes_with(|out| {
            if owed_low_half && remaining > 0 {
                out.extend_from_slice(&REPLACEMENT);
                remaining -= 1;
                owed_low_half = false;
            }
            let start = position;
            while remaining > 0 {
                let (bytes, char_units) = utf8_char_shape(utf8.get(position).copied());
                if position + bytes > utf8.len() {
                    return Err(Mismatch);
                }
                if char_units > remaining {
                    // The high half ends this id; the low half starts the next one.
                    out.extend_from_slice(&utf8[start..position]);
                    out.extend_from_slice(&REPLACEMENT);
                    position += bytes;
                    owed_low_half = true;
                    return Ok(());
                }
                position += bytes;
                remaining -= char_units;
            }
            out.extend_from_slice(&utf8[start..position]);
            Ok(())
        })?;
    }
    if position == utf8.len() && !owed_low_half {
        Ok(())
    } else {
        Err(Mismatch)
    }
}

/// The joined text and the lengths disagree.
#[derive(Debug)]
pub struct Mismatch;

/// Bytes and UTF-16 units of the UTF-8 character starting with `lead`.
fn utf8_char_shape(lead: Option<u8>) -> (usize, usize) {
    match lead {
        Some(0x00..=0x7f) => (1, 1),
        Some(0xc0..=0xdf) => (2, 1),
        Some(0xe0..=0xef) => (3, 1),
        Some(_) => (4, 2),
        // Past the end: a shape no input fits, so the caller reports a mismatch.
        None => (usize::MAX / 2, usize::MAX / 2),
    }
}
