//! sign / verify / Signer on arbitrary keys and byte ids, against the `hmac` crate.
#![no_main]

use libfuzzer_sys::fuzz_target;
use refiner_identity::{sign, verify, ErrorKind, Signer, UserId};
use refiner_identity_fuzz::{reference_hex, spec_refuses_secret};

fuzz_target!(|input: (&[u8], &[u8])| {
    let (key, id) = input;
    let signer = Signer::new(key);
    let one_shot = sign(key, UserId::Bytes(id));
    if spec_refuses_secret(key) {
        assert_eq!(signer.err().map(|e| e.kind()), Some(ErrorKind::InvalidSecret));
        assert_eq!(one_shot.err().map(|e| e.kind()), Some(ErrorKind::InvalidSecret));
        assert_eq!(verify(key, UserId::Bytes(id), &[]).err().map(|e| e.kind()), Some(ErrorKind::InvalidSecret));
        return;
    }
    let signer = signer.expect("a key SPEC accepts");
    if id.is_empty() {
        assert_eq!(one_shot.err().map(|e| e.kind()), Some(ErrorKind::InvalidUserId));
        assert_eq!(signer.sign(UserId::Bytes(id)).err().map(|e| e.kind()), Some(ErrorKind::InvalidUserId));
        assert_eq!(signer.verify(UserId::Bytes(id), &[]).err().map(|e| e.kind()), Some(ErrorKind::InvalidUserId));
        return;
    }
    let expected = reference_hex(key, id);
    assert_eq!(one_shot.expect("valid key and id").as_str(), expected);
    assert_eq!(signer.sign(UserId::Bytes(id)).expect("valid id").as_str(), expected);
    assert_eq!(signer.sign_many(&[UserId::Bytes(id)]).expect("valid id")[0].as_str(), expected);

    let id = UserId::Bytes(id);
    assert!(signer.verify(id, expected.as_bytes()).expect("valid id"));
    assert!(verify(key, id, expected.to_ascii_uppercase().as_bytes()).expect("valid id"));
    let mut flipped = expected.clone().into_bytes();
    flipped[key.len() % 64] = if flipped[key.len() % 64] == b'0' { b'1' } else { b'0' };
    assert!(!signer.verify(id, &flipped).expect("valid id"));
    assert!(!signer.verify(id, &expected.as_bytes()[..63]).expect("valid id"));

    // Rotation: an old key verifies and never signs.
    let rotated = Signer::with_previous(b"the-new-key", &[key]).expect("valid keys");
    assert!(rotated.verify(id, expected.as_bytes()).expect("valid id"));
    if key != b"the-new-key" {
        assert_ne!(rotated.sign(id).expect("valid id").as_str(), expected);
    }
});
