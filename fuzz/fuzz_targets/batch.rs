//! Small batches (below the parallel threshold): `UserIdBatch` + `sign_batch`,
//! `sign_many` and `sign_batch_chunks` sign exactly what per-id `sign` does,
//! in order, or fail naming the first bad index with nothing emitted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use refiner_identity::{Error, Signature, Signer, UserId, UserIdBatch};
use refiner_identity_fuzz::KEYS;

/// Enough ids for odd and even counts and both interleaved-pair shapes, and
/// still hundreds of thousands of signatures a second under ASan.
const MAX_IDS: usize = 48;

fn hex_all(signatures: &[Signature]) -> Vec<String> {
    signatures.iter().map(|s| s.to_string()).collect()
}

/// (key choice, chunk length, ids as (kind, bytes, integer)).
type Input<'a> = (u8, u8, Vec<(u8, &'a [u8], i64)>);

fuzz_target!(|input: Input<'_>| {
    let (key_choice, chunk_len, entries) = input;
    let mut batch = UserIdBatch::default();
    for (kind, bytes, integer) in entries.iter().take(MAX_IDS) {
        match kind % 5 {
            0 => batch.push_bytes(bytes),
            1 => batch.push_integer(i128::from(*integer) << (kind % 64)),
            2 => batch.push_big_integer(&String::from_utf8_lossy(bytes)),
            3 => {
                // A host read that fails part-way leaves the batch as it was.
                let before = batch.len();
                let failed: Result<(), ()> = batch.push_bytes_with(|buffer| {
                    buffer.extend_from_slice(bytes);
                    Err(())
                });
                assert!(failed.is_err() && batch.len() == before);
            }
            _ => batch
                .push_bytes_with(|buffer| {
                    buffer.extend_from_slice(bytes);
                    Ok::<(), ()>(())
                })
                .expect("the write succeeds"),
        }
    }
    let signer = Signer::new(KEYS[usize::from(key_choice) % KEYS.len()]).expect("valid key");
    let ids: Vec<UserId<'_>> = batch.iter().collect();
    assert_eq!(ids.len(), batch.len());
    assert_eq!(batch.is_empty(), ids.is_empty());
    assert!(batch.get(ids.len()).is_none());
    for (index, id) in ids.iter().enumerate() {
        assert_eq!(batch.get(index), Some(*id));
    }

    // Per-id signing is the oracle; the batch fails at its first bad id.
    let one_by_one: Vec<Result<Signature, Error>> = ids.iter().map(|&id| signer.sign(id)).collect();
    let first_bad = one_by_one.iter().position(Result::is_err);
    let expected = match first_bad {
        None => Ok(hex_all(&one_by_one.into_iter().map(Result::unwrap).collect::<Vec<_>>())),
        Some(index) => Err(one_by_one[index].clone().unwrap_err().at_index(index)),
    };
    assert_eq!(signer.sign_batch(&batch).map(|all| hex_all(&all)), expected);
    assert_eq!(signer.sign_many(&ids).map(|all| hex_all(&all)), expected);

    let mut chunks = Vec::new();
    let chunked = signer.sign_batch_chunks(&batch, usize::from(chunk_len), |chunk| chunks.push(hex_all(chunk)));
    match &expected {
        Ok(all) => {
            assert_eq!(chunked, Ok(()));
            assert_eq!(&chunks.concat(), all);
            assert!(chunks.iter().all(|chunk| !chunk.is_empty() && chunk.len() <= usize::from(chunk_len).max(1)));
        }
        Err(error) => {
            assert_eq!(chunked.as_ref(), Err(error));
            assert!(chunks.is_empty(), "emitted before the error");
        }
    }
});
