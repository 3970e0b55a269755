//! Project Wycheproof's HMAC-SHA256 vectors. Keys or messages that SPEC.md
//! refuses (empty, whitespace-padded keys) must be refused with the right kind;
//! every other test must match (valid) or not match (invalid) the tag.

use refiner_identity::{ErrorKind, Signer, UserId};
use wycheproof::mac::{TestName, TestSet};
use wycheproof::TestResult;

fn refused_by_spec(key: &[u8]) -> bool {
    let padded = |b: Option<&u8>| matches!(b, Some(b' ' | b'\t' | b'\r' | b'\n'));
    key.is_empty() || padded(key.first()) || padded(key.last())
}

#[test]
fn wycheproof_hmac_sha256() {
    let set = TestSet::load(TestName::HmacSha256).expect("wycheproof hmac_sha256 set");
    let (mut compared, mut refused) = (0, 0);
    for group in &set.test_groups {
        let tag_bytes = group.tag_size / 8;
        for test in &group.tests {
            let signer = Signer::new(&*test.key);
            if refused_by_spec(&test.key) {
                assert_eq!(signer.unwrap_err().kind(), ErrorKind::InvalidSecret, "tc {}", test.tc_id);
                refused += 1;
                continue;
            }
            let signature = signer.unwrap().sign(UserId::Bytes(&test.msg));
            if test.msg.is_empty() {
                assert_eq!(signature.unwrap_err().kind(), ErrorKind::InvalidUserId, "tc {}", test.tc_id);
                refused += 1;
                continue;
            }
            let hex = signature.unwrap();
            let tag_hex: String = test.tag.iter().map(|b| format!("{b:02x}")).collect();
            let matches = hex.as_str()[..tag_bytes * 2] == tag_hex;
            match test.result {
                TestResult::Valid => assert!(matches, "tc {}: {}", test.tc_id, test.comment),
                TestResult::Invalid => assert!(!matches, "tc {}: {}", test.tc_id, test.comment),
                TestResult::Acceptable => {}
            }
            compared += 1;
        }
    }
    assert!(compared >= 100, "only {compared} Wycheproof tests compared ({refused} refused by the spec)");
}
