//! `Signer`: a validated secret turned into keyed HMAC states once, for fast
//! repeated signing, batch signing and verification with key rotation.

use std::fmt;

use subtle::{Choice, ConstantTimeEq};

use crate::batch::UserIdBatch;
use crate::engine;
use crate::error::{Error, SecretOrigin};
use crate::keyed::KeyedState;
use crate::secret::{secret_from_env, validate_secret};
use crate::signature::{decode_signature, Signature};
use crate::user_id::UserId;

/// The environment variable `Signer::from_default_env` reads.
pub const DEFAULT_SECRET_ENV: &str = "REFINER_SECRET_KEY";

/// Signs user ids with one secret; verifies with it and any `previous` secrets.
///
/// Holds no copy of the secret, only the keyed HMAC states, which are wiped on drop.
/// `Debug` never shows key material.
#[derive(Clone)]
pub struct Signer {
    current: KeyedState,
    previous: Vec<KeyedState>,
}

impl Signer {
    /// A signer for one secret (text as UTF-8 bytes, or raw bytes), validated once.
    pub fn new(secret: impl AsRef<[u8]>) -> Result<Self, Error> {
        Self::with_previous(secret, &[] as &[&[u8]])
    }

    /// A signer whose `verify` also accepts signatures made with `previous` secrets
    /// (key rotation); `sign` always uses `secret`.
    pub fn with_previous<P: AsRef<[u8]>>(secret: impl AsRef<[u8]>, previous: &[P]) -> Result<Self, Error> {
        let secret = secret.as_ref();
        validate_secret(secret, SecretOrigin::Argument)?;
        let previous = previous
            .iter()
            .enumerate()
            .map(|(index, old)| {
                validate_secret(old.as_ref(), SecretOrigin::Previous(index))?;
                Ok(KeyedState::new(old.as_ref()))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Signer { current: KeyedState::new(secret), previous })
    }

    /// A signer for the secret in environment variable `name`, read as raw bytes.
    /// Unset or empty is an error that names the variable, never a value.
    pub fn from_env(name: &str) -> Result<Self, Error> {
        let secret = secret_from_env(name)?;
        Ok(Signer { current: KeyedState::new(&secret), previous: Vec::new() })
    }

    /// `from_env(DEFAULT_SECRET_ENV)`.
    pub fn from_default_env() -> Result<Self, Error> {
        Self::from_env(DEFAULT_SECRET_ENV)
    }

    /// The signature of one user id.
    pub fn sign(&self, user_id: UserId<'_>) -> Result<Signature, Error> {
        sign_with_key(&self.current, user_id)
    }

    /// True iff `signature` is the 64-hex (either case) signature of `user_id` under the
    /// current or a previous secret. A malformed signature is `false`, not an error.
    pub fn verify(&self, user_id: UserId<'_>, signature: &[u8]) -> Result<bool, Error> {
        let matched = user_id
            .with_message(|message| {
                let Some(claimed) = decode_signature(signature) else {
                    return false;
                };
                let any = std::iter::once(&self.current)
                    .chain(&self.previous)
                    .fold(Choice::from(0), |any, key| any | key.mac(message).ct_eq(&claimed));
                bool::from(any)
            })
            .map_err(|problem| Error::InvalidUserId { problem })?;
        Ok(matched)
    }

    /// Signatures of many user ids, in order. An invalid id fails the whole call,
    /// naming the first bad index. Large batches are spread over all cores.
    pub fn sign_many(&self, user_ids: &[UserId<'_>]) -> Result<Vec<Signature>, Error> {
        check_all(user_ids.iter().copied())?;
        self.sign_all(user_ids.len(), |index| user_ids[index])
    }

    /// [`sign_many`](Self::sign_many) over an owned [`UserIdBatch`].
    pub fn sign_batch(&self, batch: &UserIdBatch) -> Result<Vec<Signature>, Error> {
        check_all(batch.iter())?;
        self.sign_all(batch.len(), |index| batch.user_id_at(index))
    }

    /// Signs a batch `chunk_len` ids at a time through the batch engine and
    /// hands each chunk's signatures to `emit`, in order, on the calling
    /// thread, while the next chunk is signed on all cores; so a binding turns
    /// signatures into host strings without holding every one at once. The
    /// whole batch is checked first: on an invalid id nothing is emitted and
    /// the error names its index.
    pub fn sign_batch_chunks(
        &self,
        batch: &UserIdBatch,
        chunk_len: usize,
        emit: impl FnMut(&[Signature]),
    ) -> Result<(), Error> {
        check_all(batch.iter())?;
        self.sign_chunks(batch.len(), chunk_len, |index| batch.user_id_at(index), emit)
    }

    /// [`sign_batch_chunks`](Self::sign_batch_chunks) over borrowed ids.
    pub fn sign_many_chunks(
        &self,
        user_ids: &[UserId<'_>],
        chunk_len: usize,
        emit: impl FnMut(&[Signature]),
    ) -> Result<(), Error> {
        check_all(user_ids.iter().copied())?;
        self.sign_chunks(user_ids.len(), chunk_len, |index| user_ids[index], emit)
    }

    fn sign_chunks<'a>(
        &self,
        len: usize,
        chunk_len: usize,
        id_at: impl Fn(usize) -> UserId<'a> + Sync,
        mut emit: impl FnMut(&[Signature]),
    ) -> Result<(), Error> {
        let make = |start: usize, out: &mut [Signature]| self.sign_into(out, |index| id_at(start + index));
        engine::run(len, chunk_len, Signature::UNSET, make, |_, chunk| {
            emit(&chunk);
            Ok(())
        })
    }

    /// Signatures of the ids `id_at(0..len)` (each index in range, each id checked), as one chunk.
    fn sign_all<'a>(&self, len: usize, id_at: impl Fn(usize) -> UserId<'a> + Sync) -> Result<Vec<Signature>, Error> {
        let mut all = Vec::new();
        let make = |start: usize, out: &mut [Signature]| self.sign_into(out, |index| id_at(start + index));
        engine::run(len, len, Signature::UNSET, make, |_, chunk| {
            all = chunk;
            Ok(())
        })?;
        Ok(all)
    }

    /// Fills `out[i]` with the signature of `id_at(i)`, two ids at a time so
    /// their HMACs run interleaved.
    pub(crate) fn sign_into<'a>(
        &self,
        out: &mut [Signature],
        id_at: impl Fn(usize) -> UserId<'a>,
    ) -> Result<(), Error> {
        let len = out.len();
        let mut pairs = out.chunks_exact_mut(2);
        for (pair, slots) in (&mut pairs).enumerate() {
            slots.copy_from_slice(&sign_pair_with_key(&self.current, id_at(2 * pair), id_at(2 * pair + 1))?);
        }
        if let [last] = pairs.into_remainder() {
            *last = self.sign(id_at(len - 1))?;
        }
        Ok(())
    }

    /// How many previous secrets `verify` accepts.
    pub fn previous_count(&self) -> usize {
        self.previous.len()
    }
}

/// The one place a keyed state meets a user id; `Signer::sign` and one-shot `sign` share it.
#[inline]
pub(crate) fn sign_with_key(key: &KeyedState, user_id: UserId<'_>) -> Result<Signature, Error> {
    user_id
        .with_message(|message| Signature::from_mac(&key.mac(message)))
        .map_err(|problem| Error::InvalidUserId { problem })
}

/// A batch fails as a whole, naming its first invalid id, before any signing.
pub(crate) fn check_all<'a>(user_ids: impl Iterator<Item = UserId<'a>>) -> Result<(), Error> {
    match user_ids.enumerate().find_map(|(index, id)| id.problem().map(|problem| (index, problem))) {
        Some((index, problem)) => Err(Error::InvalidUserIdAt { index, problem }),
        None => Ok(()),
    }
}

/// Two signatures under one keyed state, their HMACs interleaved.
#[inline]
fn sign_pair_with_key(key: &KeyedState, first: UserId<'_>, second: UserId<'_>) -> Result<[Signature; 2], Error> {
    first
        .with_message(|first| {
            second.with_message(|second| key.mac_pair(first, second).map(|mac| Signature::from_mac(&mac)))
        })
        .and_then(|signed| signed)
        .map_err(|problem| Error::InvalidUserId { problem })
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer").field("secret", &"<redacted>").field("previous", &self.previous_count()).finish()
    }
}
