//! Behaviour of `Signer` that the vectors do not cover: rotation, batches,
//! malformed signatures, redaction (the environment: tests/from_env.rs).

mod common;

use refiner_identity::{Error, ErrorKind, SecretOrigin, Signer, UserId, UserIdProblem, PARALLEL_THRESHOLD};

const SECRET: &str = "s3cr3t-KEY-value-that-must-never-leak";

#[test]
fn previous_secrets_verify_but_never_sign() {
    let old = common::independent_hmac_hex(b"old-key", b"42");
    let new = common::independent_hmac_hex(SECRET.as_bytes(), b"42");
    let signer = Signer::with_previous(SECRET, &["old-key"]).unwrap();
    assert_eq!(signer.sign(UserId::Integer(42)).unwrap().as_str(), new);
    assert!(signer.verify(UserId::Integer(42), old.as_bytes()).unwrap());
    assert!(signer.verify(UserId::Integer(42), new.as_bytes()).unwrap());
    assert!(!Signer::new(SECRET).unwrap().verify(UserId::Integer(42), old.as_bytes()).unwrap());
}

#[test]
fn invalid_previous_secret_names_its_index() {
    let error = Signer::with_previous(SECRET, &["ok", "bad\n"]).unwrap_err();
    assert!(matches!(error, Error::InvalidSecret { origin: SecretOrigin::Previous(1), .. }), "{error:?}");
    assert!(error.to_string().contains("previous[1]"), "{error}");
}

#[test]
fn malformed_signatures_are_false_not_errors() {
    let signer = Signer::new(SECRET).unwrap();
    let good = signer.sign(UserId::Text("u")).unwrap();
    let good = good.as_str();
    let cases: Vec<Vec<u8>> = vec![
        vec![],
        good[..63].into(),
        format!("{good}0").into(),
        format!("{}g", &good[..63]).into(),
        format!(" {}", &good[..63]).into(),
        format!("0x{}", &good[..62]).into(),
        "é".repeat(32).into(),
    ];
    for bad in cases {
        assert!(!signer.verify(UserId::Text("u"), &bad).unwrap(), "{:?}", String::from_utf8_lossy(&bad));
    }
    assert!(signer.verify(UserId::Text("u"), good.as_bytes()).unwrap());
}

#[test]
fn sign_many_keeps_order_across_the_parallel_threshold() {
    let signer = Signer::new(SECRET).unwrap();
    for count in [0, 1, PARALLEL_THRESHOLD - 1, PARALLEL_THRESHOLD, 3 * PARALLEL_THRESHOLD + 7] {
        let ids: Vec<String> = (0..count).map(|i| format!("user-{i}")).collect();
        let user_ids: Vec<UserId<'_>> = ids.iter().map(|s| UserId::Text(s)).collect();
        let batch = signer.sign_many(&user_ids).unwrap();
        assert_eq!(batch.len(), count);
        for (id, signature) in ids.iter().zip(&batch) {
            assert_eq!(signature.as_str(), common::independent_hmac_hex(SECRET.as_bytes(), id.as_bytes()));
        }
    }
}

#[test]
fn sign_many_names_the_first_bad_index() {
    let signer = Signer::new(SECRET).unwrap();
    for count in [10, 2 * PARALLEL_THRESHOLD] {
        let mut ids = vec![UserId::Text("ok"); count];
        ids[count - 3] = UserId::Text("");
        ids[count - 1] = UserId::Bytes(b"");
        let error = signer.sign_many(&ids).unwrap_err();
        assert_eq!(error, Error::InvalidUserIdAt { index: count - 3, problem: UserIdProblem::Empty });
        assert!(error.to_string().contains(&format!("index {}", count - 3)), "{error}");
        assert_eq!(error.kind(), ErrorKind::InvalidUserId);
    }
}

#[test]
fn debug_and_errors_never_show_the_secret() {
    let signer = Signer::with_previous(SECRET, &["previous-secret-value"]).unwrap();
    let debug = format!("{signer:?} {signer:#?}");
    assert!(debug.contains("redacted"), "{debug}");
    assert!(!debug.contains(SECRET) && !debug.contains("previous-secret-value"), "{debug}");
    let padded = format!(" {SECRET}");
    for error in [
        Signer::new(&padded).unwrap_err(),
        Signer::with_previous(SECRET, &[format!("{SECRET}\r\n")]).unwrap_err(),
        Signer::new(SECRET).unwrap().sign(UserId::Text("")).unwrap_err(),
    ] {
        let text = format!("{error} {error:?}");
        assert!(!text.contains(SECRET.trim()), "{text}");
    }
}

#[test]
fn secret_messages_explain_the_fix() {
    let error = Signer::new("key\n").unwrap_err().to_string();
    assert!(error.contains("newline") && error.contains("environment variable"), "{error}");
    let error = Signer::new("").unwrap_err().to_string();
    assert!(error.contains("empty"), "{error}");
    let error = refiner_identity::sign(SECRET, UserId::Text("")).unwrap_err().to_string();
    assert!(error.contains("non-empty unique user identifier"), "{error}");
}

#[test]
fn batches_sign_like_borrowed_ids() {
    use refiner_identity::UserIdBatch;
    let signer = Signer::new(SECRET).unwrap();
    let mut batch = UserIdBatch::with_capacity(4);
    batch.push_bytes("José".as_bytes());
    batch.push_integer(-5);
    batch.push_big_integer("18446744073709551616");
    let failed: Result<(), &str> = batch.push_bytes_with(|buffer| {
        buffer.extend_from_slice(b"partial");
        Err("host read failed")
    });
    assert_eq!(failed, Err("host read failed"));
    batch
        .push_bytes_with(|buffer| {
            buffer.extend_from_slice(b"user_42");
            Ok::<(), ()>(())
        })
        .unwrap();
    assert_eq!(batch.len(), 4);
    let expected: Vec<String> = ["José", "-5", "18446744073709551616", "user_42"]
        .iter()
        .map(|id| common::independent_hmac_hex(SECRET.as_bytes(), id.as_bytes()))
        .collect();
    let signed: Vec<String> = signer.sign_batch(&batch).unwrap().iter().map(|s| s.to_string()).collect();
    assert_eq!(signed, expected);
    assert!(!format!("{batch:?}").contains("José"));

    let mut bad = UserIdBatch::default();
    bad.push_bytes(b"ok");
    bad.push_bytes(b"");
    assert!(signer.sign_batch(&bad).unwrap_err().to_string().contains("index 1"));
}

#[test]
fn batch_chunks_come_in_order_and_not_at_all_on_error() {
    use refiner_identity::UserIdBatch;
    let signer = Signer::new(SECRET).unwrap();
    let mut batch = UserIdBatch::default();
    for i in 0..(2 * PARALLEL_THRESHOLD + 5) {
        batch.push_bytes(format!("user-{i}").as_bytes());
    }
    for chunk_len in [1, 7, PARALLEL_THRESHOLD, 3 * PARALLEL_THRESHOLD] {
        let mut seen = Vec::new();
        let mut chunk_sizes = Vec::new();
        let caller = std::thread::current().id();
        signer
            .sign_batch_chunks(&batch, chunk_len, |chunk| {
                // Hosts build their strings in `emit`: it must stay on the caller's thread.
                assert_eq!(std::thread::current().id(), caller);
                chunk_sizes.push(chunk.len());
                seen.extend(chunk.iter().map(|s| s.to_string()));
            })
            .unwrap();
        assert!(chunk_sizes.iter().all(|&n| n <= chunk_len));
        assert_eq!(seen.len(), batch.len());
        for (i, signature) in seen.iter().enumerate() {
            assert_eq!(signature, &common::independent_hmac_hex(SECRET.as_bytes(), format!("user-{i}").as_bytes()));
        }
    }
    batch.push_bytes(b"");
    let mut emitted = 0;
    let error = signer.sign_batch_chunks(&batch, 10, |_| emitted += 1).unwrap_err();
    assert_eq!(emitted, 0);
    assert!(error.to_string().contains(&format!("index {}", batch.len() - 1)), "{error}");
}

#[test]
fn concatenated_signatures_are_their_bytes_back_to_back() {
    let signer = Signer::new(SECRET).unwrap();
    let ids = [UserId::Text("a"), UserId::Integer(7), UserId::Text("user-3")];
    let signatures = signer.sign_many(&ids).unwrap();
    let expected: String = signatures.iter().map(|s| s.as_str()).collect();
    assert_eq!(refiner_identity::Signature::concatenated(&signatures), expected.as_bytes());
    assert!(refiner_identity::Signature::concatenated(&[]).is_empty());
}
