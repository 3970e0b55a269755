//! Property tests against an independent HMAC (the RustCrypto `hmac` crate).

mod common;

use proptest::prelude::*;
use refiner_identity::{sign, Signature, Signer, UserId, UserIdBatch, PARALLEL_THRESHOLD};

#[derive(Debug, Clone)]
enum Id {
    Bytes(Vec<u8>),
    Integer(i64),
    /// Canonical decimal text of an integer beyond i128.
    BigInteger(String),
}

impl Id {
    fn as_user_id(&self) -> UserId<'_> {
        match self {
            Id::Bytes(bytes) => UserId::Bytes(bytes),
            Id::Integer(n) => UserId::Integer((*n).into()),
            Id::BigInteger(decimal) => UserId::BigInteger(decimal),
        }
    }

    fn message(&self) -> Vec<u8> {
        match self {
            Id::Bytes(bytes) => bytes.clone(),
            Id::Integer(n) => n.to_string().into_bytes(),
            Id::BigInteger(decimal) => decimal.clone().into_bytes(),
        }
    }

    fn push_to(&self, batch: &mut UserIdBatch) {
        match self {
            Id::Bytes(bytes) => batch.push_bytes(bytes),
            Id::Integer(n) => batch.push_integer((*n).into()),
            Id::BigInteger(decimal) => batch.push_big_integer(decimal),
        }
    }
}

/// Ids of every kind, with lengths on both sides of the 55-byte one-block edge.
fn any_id() -> impl Strategy<Value = Id> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 1..130).prop_map(Id::Bytes),
        (50usize..60).prop_map(|len| Id::Bytes(vec![b'x'; len])),
        any::<i64>().prop_map(Id::Integer),
        "-?[1-9][0-9]{39,70}".prop_map(Id::BigInteger),
    ]
}

fn hex_all(signatures: &[Signature]) -> Vec<String> {
    signatures.iter().map(|s| s.to_string()).collect()
}

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

    // Batches sign ids two at a time (interleaved when both fit one block): mixed
    // lengths around the 55-byte edge, odd and even counts, integers among bytes.
    #[test]
    fn batches_match_independent_hmac(key in valid_key(), ids in prop::collection::vec(any_id(), 0..40)) {
        let user_ids: Vec<UserId<'_>> = ids.iter().map(Id::as_user_id).collect();
        let expected: Vec<String> = ids.iter().map(|id| common::independent_hmac_hex(&key, &id.message())).collect();
        let signer = Signer::new(&key).unwrap();
        prop_assert_eq!(&hex_all(&signer.sign_many(&user_ids).unwrap()), &expected);
        let mut batch = UserIdBatch::default();
        ids.iter().for_each(|id| id.push_to(&mut batch));
        prop_assert_eq!(&hex_all(&signer.sign_batch(&batch).unwrap()), &expected);
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

proptest! {
    // Few cases: each signs up to 20,000 ids four ways against the reference.
    #![proptest_config(ProptestConfig { cases: 4, max_shrink_iters: 200, ..ProptestConfig::default() })]

    // Sizes on both sides of PARALLEL_THRESHOLD (spread over the cores), and
    // chunked (the next chunk made on the engine's producer thread while the
    // caller takes the previous one), with chunks below and above the threshold.
    #[test]
    fn large_batches_match_independent_hmac(
        key in valid_key(),
        ids in prop::collection::vec(any_id(), 4_000..20_000),
        chunk_len in prop_oneof![1usize..PARALLEL_THRESHOLD, PARALLEL_THRESHOLD..10_000],
    ) {
        let expected: Vec<String> = ids.iter().map(|id| common::independent_hmac_hex(&key, &id.message())).collect();
        let signer = Signer::new(&key).unwrap();
        let user_ids: Vec<UserId<'_>> = ids.iter().map(Id::as_user_id).collect();
        prop_assert_eq!(&hex_all(&signer.sign_many(&user_ids).unwrap()), &expected);
        let mut batch = UserIdBatch::with_capacity(ids.len());
        ids.iter().for_each(|id| id.push_to(&mut batch));
        prop_assert_eq!(&hex_all(&signer.sign_batch(&batch).unwrap()), &expected);
        let mut chunks = Vec::new();
        signer.sign_batch_chunks(&batch, chunk_len, |chunk| chunks.push(hex_all(chunk))).unwrap();
        prop_assert_eq!(chunks.len(), ids.len().div_ceil(chunk_len));
        prop_assert_eq!(&chunks.concat(), &expected);
        chunks.clear();
        signer.sign_many_chunks(&user_ids, chunk_len, |chunk| chunks.push(hex_all(chunk))).unwrap();
        prop_assert_eq!(&chunks.concat(), &expected);
    }
}
