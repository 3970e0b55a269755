//! Property tests against an independent HMAC (the RustCrypto `hmac` crate).

mod common;

use proptest::prelude::*;
use refiner_identity::{sign, Signer, UserId};

fn valid_key() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 1..300).prop_filter("SPEC refuses padded keys", |k| {
        let padded = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
        !padded(&k[0]) && !padded(&k[k.len() - 1])
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn bytes_match_independent_hmac(key in valid_key(), id in prop::collection::vec(any::<u8>(), 1..300)) {
        let expected = common::independent_hmac_hex(&key, &id);
        let one_shot = sign(&key, UserId::Bytes(&id)).unwrap();
        prop_assert_eq!(one_shot.as_str(), expected.as_str());
        let signer = Signer::new(&key).unwrap();
        let signed = signer.sign(UserId::Bytes(&id)).unwrap();
        prop_assert_eq!(signed.as_str(), expected.as_str());
        prop_assert!(signer.verify(UserId::Bytes(&id), expected.to_uppercase().as_bytes()).unwrap());
    }

    #[test]
    fn text_is_its_utf8_bytes(key in valid_key(), id in "\\PC{1,80}") {
        let expected = common::independent_hmac_hex(&key, id.as_bytes());
        let signed = sign(&key, UserId::Text(&id)).unwrap();
        prop_assert_eq!(signed.as_str(), expected.as_str());
    }

    #[test]
    fn integers_are_decimal(key in valid_key(), n in any::<i128>()) {
        let expected = common::independent_hmac_hex(&key, n.to_string().as_bytes());
        let signed = sign(&key, UserId::Integer(n)).unwrap();
        prop_assert_eq!(signed.as_str(), expected.as_str());
    }

    #[test]
    fn one_changed_digit_fails_verify(key in valid_key(), id in "[a-z0-9]{1,40}", position in 0usize..64) {
        let signer = Signer::new(&key).unwrap();
        let mut signature = signer.sign(UserId::Text(&id)).unwrap().as_str().as_bytes().to_vec();
        signature[position] = if signature[position] == b'0' { b'1' } else { b'0' };
        prop_assert!(!signer.verify(UserId::Text(&id), &signature).unwrap());
    }
}
