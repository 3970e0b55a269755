//! `Signer`: a thin wrapper over the core's `Signer`, plus `signManyAsync`,
//! which hashes on the libuv thread pool.

use std::sync::Arc;

use napi::bindgen_prelude::{Array, AsyncTask, JsObjectValue, JsValue, Object, Unknown, ValueType};
use napi::{Env, JsString, ScopedTask};
use napi_derive::napi;
use refiner_identity::{Signature, UserIdBatch, DEFAULT_SECRET_ENV};

use crate::convert::{hold_bytes, read_batch, HeldBytes, HeldUserId};
use crate::error::{rejection, throwing, Failure};
use crate::js_signature;
use crate::split::{SignatureStrings, PER_STRING};

/// Signs user ids with one secret key, validated once and kept only as keyed
/// HMAC states. Immutable; share one per process.
///
/// `options.previous` holds older keys that `verify` still accepts during a
/// key rotation; `sign` always uses `secret`. `String(signer)`,
/// `JSON.stringify(signer)` and `util.inspect(signer)` show the key redacted.
#[napi]
pub struct Signer {
    inner: Arc<refiner_identity::Signer>,
}

#[napi]
impl Signer {
    /// Validates `secret` (and `options.previous`) once.
    #[napi(
        constructor,
        ts_args_type = "secret: string | Uint8Array, options?: { previous?: Array<string | Uint8Array> }"
    )]
    pub fn new(env: Env, secret: Unknown, options: Option<Unknown>) -> napi::Result<Self> {
        throwing(&env, || {
            let secret = hold_bytes(&secret, "secret")?;
            let previous = previous_secrets(options)?;
            let inner = refiner_identity::Signer::with_previous(&secret, &previous)?;
            Ok(Signer { inner: Arc::new(inner) })
        })
    }

    /// A Signer for the secret in environment variable `name` (default
    /// `REFINER_SECRET_KEY`). Unset, empty or whitespace-padded values throw
    /// `ERR_REFINER_INVALID_SECRET` naming the variable, never its value.
    #[napi(factory)]
    pub fn from_env(env: Env, name: Option<String>) -> napi::Result<Self> {
        throwing(&env, || {
            let inner = refiner_identity::Signer::from_env(name.as_deref().unwrap_or(DEFAULT_SECRET_ENV))?;
            Ok(Signer { inner: Arc::new(inner) })
        })
    }

    /// The signature of `userId`: 64 lowercase hex characters.
    #[napi(ts_args_type = "userId: UserId")]
    pub fn sign<'env>(&self, env: &'env Env, user_id: Unknown) -> napi::Result<JsString<'env>> {
        let signature = throwing(env, || self.sign_value(user_id))?;
        js_signature(env, &signature)
    }

    /// True iff `signature` (either case) is the signature of `userId` under the
    /// current or a previous key. A malformed signature is `false`.
    #[napi(ts_args_type = "userId: UserId, signature: string | Uint8Array")]
    pub fn verify(&self, env: Env, user_id: Unknown, signature: Unknown) -> napi::Result<bool> {
        throwing(&env, || {
            let user_id = HeldUserId::read(user_id, &|| "userId".into())?;
            let signature = hold_bytes(&signature, "signature")?;
            Ok(self.inner.verify(user_id.as_user_id(), signature.as_ref())?)
        })
    }

    /// Signatures of every id, in order; large batches use all cores. A bad
    /// element throws, naming its index.
    #[napi(ts_args_type = "userIds: UserId[]", ts_return_type = "string[]")]
    pub fn sign_many<'env>(&self, env: &'env Env, user_ids: Unknown) -> napi::Result<Array<'env>> {
        let mut strings = SignatureStrings::new(env)?;
        throwing(env, || {
            let batch = read_batch(env, &user_ids)?;
            // One JS string per chunk, built while the core signs the next chunk.
            Ok(self.inner.sign_batch_chunks(&batch, PER_STRING, |chunk| strings.push(chunk))?)
        })?;
        strings.finish()
    }

    /// `signMany` off the main thread (libuv pool). The ids are converted
    /// first, so a wrong type throws synchronously like `signMany`; an empty id
    /// rejects with `ERR_REFINER_INVALID_USER_ID`, naming its index.
    #[napi(ts_args_type = "userIds: UserId[]", ts_return_type = "Promise<string[]>")]
    pub fn sign_many_async(&self, env: Env, user_ids: Unknown) -> napi::Result<AsyncTask<SignMany>> {
        throwing(&env, || {
            let batch = read_batch(&env, &user_ids)?;
            Ok(AsyncTask::new(SignMany { signer: Arc::clone(&self.inner), batch }))
        })
    }

    /// How many previous keys `verify` accepts.
    #[napi(getter)]
    pub fn previous_count(&self) -> u32 {
        u32::try_from(self.inner.previous_count()).unwrap_or(u32::MAX)
    }

    /// `Signer(secret=<redacted>, previousCount=N)`.
    #[napi(js_name = "toString")]
    pub fn to_display_string(&self) -> String {
        format!("Signer(secret=<redacted>, previousCount={})", self.inner.previous_count())
    }

    /// `{ secret: '<redacted>', previousCount: N }` for `JSON.stringify`.
    #[napi(js_name = "toJSON", ts_return_type = "{ secret: '<redacted>'; previousCount: number }")]
    pub fn to_json<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        let mut json = Object::new(env)?;
        json.set("secret", "<redacted>")?;
        json.set("previousCount", self.previous_count())?;
        Ok(json)
    }
}

impl Signer {
    /// The body of `sign`, shared with its raw N-API entry point (fast.rs).
    pub(crate) fn sign_value(&self, user_id: Unknown) -> Result<Signature, Failure> {
        let user_id = HeldUserId::read(user_id, &|| "userId".into())?;
        Ok(self.inner.sign(user_id.as_user_id())?)
    }
}

fn previous_secrets(options: Option<Unknown<'_>>) -> Result<Vec<HeldBytes<'_>>, Failure> {
    let Some(options) = options else { return Ok(Vec::new()) };
    match options.get_type()? {
        ValueType::Undefined => return Ok(Vec::new()),
        ValueType::Object => {}
        _ => return Err(Failure::WrongType("options must be an object such as { previous: [...] }".into())),
    }
    // SAFETY: checked to be an object just above.
    let options = unsafe { options.cast::<Object>() }?;
    let previous: Unknown = options.get_named_property("previous")?;
    match previous.get_type()? {
        ValueType::Undefined => Ok(Vec::new()),
        _ if previous.is_array()? => {
            let previous = unsafe { previous.cast::<Array>() }?;
            (0..previous.len())
                .map(|index| {
                    let old: Unknown = previous.get_element(index)?;
                    hold_bytes(&old, &format!("options.previous[{index}]"))
                })
                .collect()
        }
        _ => Err(Failure::WrongType("options.previous must be an array of strings or Uint8Arrays".into())),
    }
}

/// The work of `signManyAsync`.
pub struct SignMany {
    signer: Arc<refiner_identity::Signer>,
    batch: UserIdBatch,
}

impl<'task> ScopedTask<'task> for SignMany {
    type Output = Result<Vec<Signature>, refiner_identity::Error>;
    type JsValue = Array<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(self.signer.sign_batch(&self.batch))
    }

    /// Back on the main thread: the same bulk string building as `signMany`.
    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        match output {
            Ok(signatures) => {
                let mut strings = SignatureStrings::new(env)?;
                signatures.chunks(PER_STRING).for_each(|chunk| strings.push(chunk));
                strings.finish()
            }
            // Rejects the promise with the same coded error `signMany` throws.
            Err(error) => Err(rejection(env, error)),
        }
    }
}
