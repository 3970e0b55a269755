//! User-id conversion rules (SPEC.md): integers are canonical decimal.

use refiner_identity::{UserId, UserIdProblem};

fn message(id: UserId<'_>) -> Result<Vec<u8>, UserIdProblem> {
    id.with_message(<[u8]>::to_vec)
}

#[test]
fn integers_are_canonical_decimal() {
    for value in [0i128, 5, -5, 10, -10, i128::MAX, i128::MIN, i64::MIN as i128, u64::MAX as i128] {
        assert_eq!(message(UserId::Integer(value)).unwrap(), value.to_string().into_bytes());
    }
    assert_eq!(message(UserId::from(-5i64)).unwrap(), b"-5");
    assert_eq!(message(UserId::from(u64::MAX)).unwrap(), b"18446744073709551615");
}

#[test]
fn big_integers_must_be_canonical() {
    assert_eq!(message(UserId::BigInteger("18446744073709551616")).unwrap(), b"18446744073709551616");
    for bad in ["", "-", "-0", "007", "+5", "1e9", " 1", "1_000", "\u{661}"] {
        assert_eq!(message(UserId::BigInteger(bad)), Err(UserIdProblem::NotCanonicalDecimal), "{bad:?}");
    }
}

#[test]
fn text_is_not_normalized_and_may_hold_nul() {
    assert_eq!(message(UserId::Text("e\u{301}")).unwrap(), "e\u{301}".as_bytes());
    assert_eq!(message(UserId::Text("\0")).unwrap(), b"\0");
    assert_eq!(message(UserId::Text("")), Err(UserIdProblem::Empty));
    assert_eq!(message(UserId::Bytes(b"")), Err(UserIdProblem::Empty));
}
