//! Signatures written as hex straight into a buffer the caller owns (64 bytes
//! a slot), for hosts that hand that buffer on as is, like an Arrow string
//! array's value buffer: no signature values, no allocation per id.
//!
//! No host objects are built per id, so there is nothing to pipeline: the
//! slots are filled on all cores with the batch engine's split (work items of
//! `WORK_ITEM`, the calling thread alone under `PARALLEL_THRESHOLD`).

use rayon::prelude::*;

use crate::engine::{PARALLEL_THRESHOLD, WORK_ITEM};
use crate::error::Error;
use crate::signature::Signature;
use crate::signer::{check_all, Signer};
use crate::user_id::UserId;

/// Signatures made per step inside a work item before they are copied out (4 KiB of stack).
const STEP: usize = 64;

impl Signer {
    /// Writes the signature of `id_at(i)` into `out[i]` for every slot, in
    /// lowercase hex. `id_at` is called for indices below `out.len()` only.
    /// Every id is checked first: on an invalid one nothing is written and the
    /// error names the lowest bad index, as [`sign_many`](Self::sign_many) does.
    pub fn sign_hex_into<'a>(
        &self,
        out: &mut [[u8; 64]],
        id_at: impl Fn(usize) -> UserId<'a> + Sync,
    ) -> Result<(), Error> {
        check_all((0..out.len()).map(&id_at))?;
        let fill = |start: usize, slots: &mut [[u8; 64]]| self.fill_hex(start, slots, &id_at);
        if out.len() < PARALLEL_THRESHOLD {
            fill(0, out)
        } else {
            out.par_chunks_mut(WORK_ITEM).enumerate().try_for_each(|(piece, slots)| fill(piece * WORK_ITEM, slots))
        }
    }

    fn fill_hex<'a>(
        &self,
        start: usize,
        slots: &mut [[u8; 64]],
        id_at: &(impl Fn(usize) -> UserId<'a> + Sync),
    ) -> Result<(), Error> {
        let mut signed = [Signature::UNSET; STEP];
        for (step, group) in slots.chunks_mut(STEP).enumerate() {
            let first = start + step * STEP;
            let signed = &mut signed[..group.len()];
            self.sign_into(signed, |index| id_at(first + index)).map_err(|error| {
                // The id passed the check, so its owner changed it meanwhile: name it if it still fails.
                let bad = (first..first + group.len()).find(|&index| id_at(index).check().is_err());
                error.at_index(bad.unwrap_or(first))
            })?;
            for (slot, signature) in group.iter_mut().zip(signed.iter()) {
                *slot = *signature.as_bytes();
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(count: usize) -> Vec<String> {
        (0..count).map(|index| format!("user-{index}")).collect()
    }

    #[test]
    fn matches_sign_for_every_size_around_the_splits() {
        let signer = Signer::new("hex-batch-secret").unwrap();
        for count in [0, 1, 2, STEP - 1, STEP + 1, PARALLEL_THRESHOLD - 1, PARALLEL_THRESHOLD + WORK_ITEM + 3] {
            let ids = ids(count);
            let mut out = vec![[0u8; 64]; count];
            signer.sign_hex_into(&mut out, |index| UserId::Text(&ids[index])).unwrap();
            for (id, hex) in ids.iter().zip(&out) {
                assert_eq!(hex, signer.sign(UserId::Text(id)).unwrap().as_bytes(), "{count} ids, id {id}");
            }
        }
    }

    #[test]
    fn an_empty_id_names_the_lowest_index_and_writes_nothing() {
        let signer = Signer::new("hex-batch-secret").unwrap();
        let mut ids = ids(PARALLEL_THRESHOLD * 2);
        ids[5000].clear();
        ids[7000].clear();
        let mut out = vec![[b'x'; 64]; ids.len()];
        let error = signer.sign_hex_into(&mut out, |index| UserId::Text(&ids[index])).unwrap_err();
        assert_eq!(error.index(), Some(5000));
        assert!(out.iter().all(|slot| slot == &[b'x'; 64]));
    }
}
