//! Refiner "Identity Verification" signatures: the lowercase hex of
//! HMAC-SHA256(secret key, user id), byte-identical to Refiner's documented
//! snippets (Node `crypto.createHmac`, PHP `hash_hmac`, Ruby `OpenSSL::HMAC`).
//!
//! Every rule of SPEC.md lives here once; the Python, Node and Ruby bindings
//! only convert arguments, call this crate and map [`Error`] to their exceptions.
//!
//! ```
//! use refiner_identity::{sign, verify, Signer, UserId};
//! # fn main() -> Result<(), refiner_identity::Error> {
//! let signature = sign(b"demo-secret", UserId::Text("user-42"))?;
//! assert_eq!(signature.as_str().len(), 64);
//! assert!(verify(b"demo-secret", UserId::Text("user-42"), signature.as_bytes())?);
//! let signer = Signer::new("demo-secret")?;
//! assert_eq!(signer.sign(UserId::Integer(42))?, sign(b"demo-secret", UserId::Text("42"))?);
//! # Ok(())
//! # }
//! ```

mod batch;
mod compress;
mod engine;
mod error;
mod hex_batch;
mod identity;
mod integer;
mod json;
mod keyed;
mod link_batch;
mod percent;
mod render;
mod secret;
mod signature;
mod signer;
mod survey_link;
mod time;
mod user_id;

pub use batch::UserIdBatch;
pub use engine::{NextChunk, PARALLEL_THRESHOLD};
pub use error::{Error, ErrorKind, Field, OptionProblem, SecretOrigin, SecretProblem, TraitProblem, UserIdProblem};
pub use identity::{Identity, Trait, TraitValue, MAX_INTEGER, MAX_NAME_LEN, MAX_TEXT_CHARS, MIN_INTEGER};
pub use integer::IntegerId;
pub use link_batch::{check_request, LinkRequest};
pub use render::check_nonce;
pub use secret::validate_secret;
pub use signature::Signature;
pub use signer::{Signer, DEFAULT_SECRET_ENV};
pub use survey_link::{LinkOptions, SurveyUrl, Tags};
pub use time::civil_from_days;
pub use user_id::UserId;

/// The README's Rust example runs as a doctest, so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The signature of `user_id` under `secret` (one-shot; a [`Signer`] is faster for many ids).
pub fn sign(secret: impl AsRef<[u8]>, user_id: UserId<'_>) -> Result<Signature, Error> {
    // No `Signer` here: a one-shot call needs only the keyed state, not a `Signer` moved through `Result`.
    let secret = secret.as_ref();
    validate_secret(secret, SecretOrigin::Argument)?;
    signer::sign_with_key(&keyed::KeyedState::new(secret), user_id)
}

/// True iff `signature` is the 64-hex (either case) signature of `user_id` under `secret`;
/// a malformed signature is `false`. The comparison is constant-time.
pub fn verify(secret: impl AsRef<[u8]>, user_id: UserId<'_>, signature: &[u8]) -> Result<bool, Error> {
    Signer::new(secret)?.verify(user_id, signature)
}
