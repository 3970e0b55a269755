//! Every case of the shared vectors file, whose signatures were produced by the
//! reference implementations (Node crypto, PHP, Ruby OpenSSL, Python hmac).

mod common;

use refiner_identity::{sign, verify, Signer, UserId};
use serde_json::Value;

fn with_user_id<R>(value: &Value, use_id: impl FnOnce(UserId<'_>) -> R) -> Option<R> {
    if let Some(decimal) = value.get("int").and_then(Value::as_str) {
        return Some(match decimal.parse::<i128>() {
            Ok(small) => use_id(UserId::Integer(small)),
            Err(_) => use_id(UserId::BigInteger(decimal)),
        });
    }
    if let Some(text) = value.get("text").and_then(Value::as_str) {
        return Some(use_id(UserId::Text(text)));
    }
    let bytes = common::tagged_bytes(value)?;
    Some(use_id(UserId::Bytes(&bytes)))
}

#[test]
fn every_vector_signs_and_verifies() {
    let vectors = common::vectors();
    let cases = vectors["cases"].as_array().expect("cases array");
    assert!(cases.len() >= 150, "expected at least 150 cases, found {}", cases.len());
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let expected = case["signature"].as_str().unwrap();
        let secret = common::tagged_bytes(&case["secret"]).unwrap();
        let signer = Signer::new(&secret).unwrap_or_else(|e| panic!("{name}: {e}"));
        with_user_id(&case["user_id"], |id| {
            assert_eq!(sign(&secret, id).unwrap().as_str(), expected, "{name}: one-shot sign");
            assert_eq!(signer.sign(id).unwrap().as_str(), expected, "{name}: Signer::sign");
            assert_eq!(signer.sign_many(&[id, id]).unwrap()[1].as_str(), expected, "{name}: sign_many");
            assert!(verify(&secret, id, expected.as_bytes()).unwrap(), "{name}: verify");
            assert!(signer.verify(id, expected.to_uppercase().as_bytes()).unwrap(), "{name}: verify upper");
        })
        .unwrap_or_else(|| panic!("{name}: unreadable user id"));
    }
}

#[test]
fn rejected_inputs_fail_with_the_expected_kind() {
    let vectors = common::vectors();
    let mut checked = 0;
    for case in vectors["rejected"].as_array().unwrap() {
        let Some(expected) = case["expect"].get("core").and_then(Value::as_str) else { continue };
        let name = case["name"].as_str().unwrap();
        let secret = common::tagged_bytes(&case["secret"]).unwrap();
        let error = with_user_id(&case["user_id"], |id| sign(&secret, id).unwrap_err()).unwrap();
        assert_eq!(format!("{:?}", error.kind()), expected, "{name}: {error}");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} rejected cases apply to the core");
}
