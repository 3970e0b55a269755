//! verify with arbitrary signature text (SPEC section 4): true iff the text is
//! the 64 hex digits of the MAC in either case; anything else is false, never
//! an error. Besides raw text, the MAC's own hex with fuzzer-chosen edits, so
//! inputs land next to the one accepted answer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use refiner_identity::{verify, Signer, UserId};
use refiner_identity_fuzz::{reference_hex, KEYS};

fn spec_accepts(candidate: &[u8], expected_hex: &str) -> bool {
    candidate.len() == 64 && candidate.eq_ignore_ascii_case(expected_hex.as_bytes())
}

/// The expected hex with each (position, operation, byte) edit applied in turn.
fn edited(expected_hex: &str, edits: &[Edit]) -> Vec<u8> {
    let mut text = expected_hex.as_bytes().to_vec();
    for &(position, operation, byte) in edits {
        let at = usize::from(position) % (text.len() + 1);
        match operation % 6 {
            0 if at < text.len() => text[at] = text[at].to_ascii_uppercase(),
            1 if at < text.len() => text[at] = byte,
            2 => text.insert(at, byte),
            3 if at < text.len() => drop(text.remove(at)),
            4 => text.splice(0..0, *b"0x").for_each(drop),
            _ => text.push(byte),
        }
    }
    text
}

/// (key choice, id, raw signature text, edits of the expected hex).
type Input<'a> = (u8, &'a [u8], &'a [u8], Vec<Edit>);
/// (position, operation, byte).
type Edit = (u8, u8, u8);

fuzz_target!(|input: Input<'_>| {
    let (key_choice, id, raw, edits) = input;
    if id.is_empty() {
        return;
    }
    let key = KEYS[usize::from(key_choice) % KEYS.len()];
    let expected = reference_hex(key, id);
    let signer = Signer::with_previous(KEYS[(usize::from(key_choice) + 1) % KEYS.len()], &[key]).expect("valid keys");
    let id = UserId::Bytes(id);
    for candidate in [raw.to_vec(), edited(&expected, &edits)] {
        let accepted = spec_accepts(&candidate, &expected);
        assert_eq!(verify(key, id, &candidate), Ok(accepted), "{:?}", String::from_utf8_lossy(&candidate));
        // Through `previous` too: the current key (another one) never matches this MAC.
        assert_eq!(signer.verify(id, &candidate), Ok(accepted), "{:?}", String::from_utf8_lossy(&candidate));
    }
});
