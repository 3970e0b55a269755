//! User-id conversion (SPEC section 3): every `UserId` variant, including
//! `BigInteger` text of any shape, signs exactly the bytes SPEC names or is refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use refiner_identity::{ErrorKind, Signer, UserId, UserIdProblem};
use refiner_identity_fuzz::{reference_hex, spec_canonical_decimal, KEYS};

/// Maps bytes onto characters that decimal text is made of (and a few that
/// it must not contain), so the fuzzer reaches near-canonical text quickly.
fn decimal_like(bytes: &[u8]) -> String {
    const ALPHABET: &[char] = &['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-', '+', ' ', '_', 'e', '\u{661}'];
    bytes.iter().map(|byte| ALPHABET[usize::from(byte % 16)]).collect()
}

fuzz_target!(|input: (u8, &[u8], i128)| {
    let (choice, bytes, integer) = input;
    let big_text;
    // The id, and the bytes SPEC says it signs (None: it must be refused, and why).
    let (id, expected): (UserId<'_>, Result<Vec<u8>, UserIdProblem>) = match choice % 6 {
        0 => match std::str::from_utf8(bytes) {
            Ok(text) => (UserId::Text(text), Ok(bytes.to_vec())),
            Err(_) => (UserId::Bytes(bytes), Ok(bytes.to_vec())),
        },
        1 => (UserId::Bytes(bytes), Ok(bytes.to_vec())),
        2 => (UserId::Integer(integer), Ok(integer.to_string().into_bytes())),
        3 => (UserId::from(integer as i64), Ok((integer as i64).to_string().into_bytes())),
        4 => {
            big_text = decimal_like(bytes);
            (UserId::BigInteger(&big_text), Ok(big_text.clone().into_bytes()))
        }
        _ => {
            big_text = String::from_utf8_lossy(bytes).into_owned();
            (UserId::BigInteger(&big_text), Ok(big_text.clone().into_bytes()))
        }
    };
    let expected = match (id, expected) {
        (UserId::BigInteger(text), _) if !spec_canonical_decimal(text) => Err(UserIdProblem::NotCanonicalDecimal),
        (_, Ok(message)) if message.is_empty() => Err(UserIdProblem::Empty),
        (_, expected) => expected,
    };

    assert_eq!(id.with_message(<[u8]>::to_vec), expected, "{id:?}");
    assert_eq!(id.check().is_ok(), expected.is_ok(), "{id:?}");
    let key = KEYS[usize::from(choice / 6) % KEYS.len()];
    let signer = Signer::new(key).expect("valid key");
    match (signer.sign(id), &expected) {
        (Ok(signature), Ok(message)) => assert_eq!(signature.as_str(), reference_hex(key, message)),
        (Err(error), Err(problem)) => {
            assert_eq!(error.kind(), ErrorKind::InvalidUserId);
            assert_eq!(error, refiner_identity::Error::InvalidUserId { problem: *problem });
        }
        (signed, expected) => panic!("{id:?}: signed {signed:?}, SPEC says {expected:?}"),
    }
});
