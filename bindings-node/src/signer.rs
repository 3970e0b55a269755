//! `Signer`: a thin wrapper over the core's `Signer`, plus `signManyAsync`,
//! which hashes on the libuv thread pool.

use std::sync::Arc;

use napi::bindgen_prelude::{Array, AsyncTask, JsObjectValue, JsValue, Object, Unknown, ValueType};
use napi::{Env, JsString, ScopedTask};
use napi_derive::napi;
use refiner_identity::{Signature, UserIdBatch, DEFAULT_SECRET_ENV};

use crate::batch::{array_length, element, read_batch};
use crate::error::{rejection, throwing, Failure};
use crate::held_bytes::{hold_bytes, HeldBytes};
use crate::js_signature;
use crate::result_strings::{ResultStrings, PER_STRING};
use crate::text::read_utf8_into;
use crate::user_id::{describe_type, HeldUserId};

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
            let previous = previous_secrets(&env, options)?;
            let inner = refiner_identity::Signer::with_previous(&secret, &previous)?;
            Ok(Signer { inner: Arc::new(inner) })
        })
    }

    /// A Signer for the secret in environment variable `name` (default
    /// `REFINER_SECRET_KEY`). Unset, empty or whitespace-padded values throw
    /// `ERR_REFINER_INVALID_SECRET` naming the variable, never its value.
    #[napi(factory, ts_args_type = "name?: string | undefined | null")]
    pub fn from_env(env: Env, name: Option<Unknown>) -> napi::Result<Self> {
        throwing(&env, || {
            let name = env_name(name)?;
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
        let batch = throwing(env, || read_batch(env, &user_ids))?;
        let mut strings = ResultStrings::new(env, batch.len());
        // One JS string per chunk, built while the core signs the next chunk.
        throwing(env, || Ok(self.inner.sign_batch_chunks(&batch, PER_STRING, |chunk| strings.push(chunk))?))?;
        strings.finish()
    }

    /// `signMany` off the main thread (libuv pool). The ids are read during
    /// the call (later changes to the array or its Uint8Arrays do not count),
    /// so a wrong type throws synchronously like `signMany`; an empty id
    /// rejects with `ERR_REFINER_INVALID_USER_ID`, naming its index.
    #[napi(ts_args_type = "userIds: UserId[]", ts_return_type = "Promise<string[]>")]
    pub fn sign_many_async(&self, env: Env, user_ids: Unknown) -> napi::Result<AsyncTask<SignMany>> {
        let batch = match read_batch(&env, &user_ids) {
            Ok(batch) => Ok(batch),
            Err(Failure::Core(error)) => Err(error),
            Err(failure) => return Err(failure.throw(&env)),
        };
        Ok(AsyncTask::new(SignMany { signer: Arc::clone(&self.inner), batch }))
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

impl Drop for Signer {
    /// napi-rs drops a `Signer` in its instance's finalizer (after moving it
    /// out of the box): from then on its receiver is no longer a tag-checked
    /// one (fast.rs). The core's address names it wherever it was moved.
    fn drop(&mut self) {
        crate::tagged_signers::forget(self.core_address());
    }
}

impl Signer {
    /// The body of `sign`, shared with its raw N-API entry point (fast.rs).
    pub(crate) fn sign_value(&self, user_id: Unknown) -> Result<Signature, Failure> {
        let user_id = HeldUserId::read(user_id, &|| "userId".into())?;
        Ok(self.inner.sign(user_id.as_user_id())?)
    }

    /// The address of this `Signer`'s core, which no other live `Signer` has
    /// (napi-rs never clones one) and a move does not change (tagged_signers.rs).
    pub(crate) fn core_address(&self) -> usize {
        Arc::as_ptr(&self.inner) as usize
    }

    /// The core signer, for the renderers (render.rs, survey_links.rs).
    pub(crate) fn core(&self) -> &Arc<refiner_identity::Signer> {
        &self.inner
    }
}

/// `options.previous`: the property read once, then each element once.
fn previous_secrets(env: &Env, options: Option<Unknown<'_>>) -> Result<Vec<HeldBytes>, Failure> {
    let Some(options) = options else { return Ok(Vec::new()) };
    match options.get_type()? {
        ValueType::Undefined => return Ok(Vec::new()),
        ValueType::Object => {}
        _ => return Err(Failure::WrongType("options must be an object such as { previous: [...] }".into())),
    }
    // SAFETY: checked to be an object just above.
    let options = unsafe { options.cast::<Object>() }?;
    let previous: Unknown = options.get_named_property("previous")?;
    if previous.get_type()? == ValueType::Undefined {
        return Ok(Vec::new());
    }
    let len = array_length(env, &previous, "options.previous")?;
    (0..len)
        .map(|index| {
            let old = element(env, previous.raw(), index)?;
            hold_bytes(&old, &format!("options.previous[{index}]"))
        })
        .collect()
}

/// The environment variable's name for `fromEnv` (`None`: the default).
fn env_name(name: Option<Unknown<'_>>) -> Result<Option<String>, Failure> {
    let Some(name) = name else { return Ok(None) };
    let name_type = name.get_type()?;
    match name_type {
        ValueType::Undefined | ValueType::Null => return Ok(None),
        ValueType::String => {}
        _ => {
            return Err(Failure::WrongType(format!(
                "name must be the name of an environment variable (a string); received {}",
                describe_type(name_type)
            )))
        }
    }
    let mut text = Vec::new();
    read_utf8_into(&name, &mut text)?;
    // Names the C environment cannot hold: refused here, so no message ever
    // carries a NUL and no lookup answers for a different variable.
    if text.is_empty() || text.contains(&0) || text.contains(&b'=') {
        return Err(Failure::InvalidValue(
            "name must be a non-empty environment variable name without '=' or NUL characters".into(),
        ));
    }
    // napi's UTF-8 is always valid (a lone surrogate became U+FFFD).
    String::from_utf8(text).map(Some).map_err(|_| Failure::InvalidValue("name must be valid text".into()))
}

/// The work of `signManyAsync`: the batch as read during the call, or the
/// invalid id that ended the reading (the promise rejects with it).
pub struct SignMany {
    signer: Arc<refiner_identity::Signer>,
    batch: Result<UserIdBatch, refiner_identity::Error>,
}

impl<'task> ScopedTask<'task> for SignMany {
    type Output = Result<Vec<Signature>, refiner_identity::Error>;
    type JsValue = Array<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(match &self.batch {
            Ok(batch) => self.signer.sign_batch(batch),
            Err(error) => Err(error.clone()),
        })
    }

    /// Back on the main thread: the same bulk string building as `signMany`.
    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        match output {
            Ok(signatures) => {
                let mut strings = ResultStrings::new(env, signatures.len());
                signatures.chunks(PER_STRING).for_each(|chunk| strings.push(chunk));
                strings.finish()
            }
            // Rejects the promise with the same coded error `signMany` throws.
            Err(error) => Err(rejection(env, error)),
        }
    }
}
