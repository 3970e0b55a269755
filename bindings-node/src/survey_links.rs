//! `surveyLinks` and `surveyLinksAsync`: every identity is read on the call,
//! then the core's batch engine signs and renders the links on all cores (on
//! the libuv pool for the async form). The result array is made by the
//! JSON.parse of module load, so no patched built-in sees or changes it.

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, JsValue, Unknown};
use napi::{Env, ScopedTask};
use napi_derive::napi;
use refiner_identity::{Error, SurveyUrl};

use crate::error::{rejection, throwing, Failure};
use crate::identity::Identities;
use crate::identity_reader::{Keys, Reader};
use crate::intrinsics;
use crate::raw_js::{Js, Value};

/// Identities reserved up front at most.
const MAX_PRESIZE: usize = 1 << 20;
use crate::render::read_url;
use crate::scope::{ChunkScope, CHUNK};
use crate::signer::Signer;

/// Links handed over by the engine at a time (it makes the next chunk meanwhile).
const LINKS_PER_CHUNK: usize = 4096;

#[napi]
impl Signer {
    /// Survey links for every identity, in order (the same as `surveyLink` for
    /// each); large batches use all cores. The first bad identity throws,
    /// naming its index.
    #[napi(ts_args_type = "url: string, identities: SurveyLinkIdentity[]", ts_return_type = "string[]")]
    pub fn survey_links<'env>(&self, env: &'env Env, url: Unknown, identities: Unknown) -> napi::Result<Unknown<'env>> {
        let js = Js { env: env.raw() };
        let json = throwing(env, || {
            let url = read_url(js, url.raw())?;
            let parsed = SurveyUrl::parse(&url)?;
            let store = read_identities(js, identities.raw(), self.core(), &parsed)?;
            Ok(links_json(self.core(), &parsed, &store)?)
        })?;
        let links = intrinsics::parse_json(js, &json)?;
        // SAFETY: a live value of this call's env.
        Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), links) })
    }

    /// `surveyLinks` off the main thread (libuv pool). Every value is read on
    /// the call, so later changes to the identities do not matter; a wrong
    /// argument type throws synchronously, a Refiner error rejects.
    #[napi(ts_args_type = "url: string, identities: SurveyLinkIdentity[]", ts_return_type = "Promise<string[]>")]
    pub fn survey_links_async(
        &self,
        env: Env,
        url: Unknown,
        identities: Unknown,
    ) -> napi::Result<AsyncTask<SurveyLinks>> {
        let js = Js { env: env.raw() };
        throwing(&env, || {
            let url = read_url(js, url.raw())?;
            let read = SurveyUrl::parse(&url)
                .map_err(Failure::from)
                .and_then(|parsed| read_identities(js, identities.raw(), self.core(), &parsed));
            let (store, refused) = match read {
                Ok(store) => (store, None),
                Err(Failure::Core(error)) => (Identities::default(), Some(error)),
                Err(other) => return Err(other),
            };
            Ok(AsyncTask::new(SurveyLinks { signer: Arc::clone(self.core()), url, store, refused }))
        })
    }
}

/// Reads the identities array; errors name the first bad index, whether the
/// binding (a wrong type) or the core (a bad value) finds it.
fn read_identities(
    js: Js,
    identities: Value,
    signer: &refiner_identity::Signer,
    url: &SurveyUrl<'_>,
) -> Result<Identities, Failure> {
    if !js.is_array(identities)? {
        return Err(Failure::WrongType(format!(
            "identities must be an array of objects such as {{ id, email, traits }}; received {}",
            js.type_name(identities)?
        )));
    }
    let count = js.array_length(identities)?;
    // A sparse array's length says nothing about how many identities it holds.
    let mut store = Identities::with_capacity((count as usize).min(MAX_PRESIZE));
    let mut scope = None;
    for index in 0..count {
        if index % CHUNK == 0 {
            drop(scope.take()); // close the previous chunk's scope before opening the next
            scope = Some(ChunkScope::open(js.env)?);
        }
        let identity = js.element(identities, index)?;
        let read = Reader::new(js, &mut store).read(identity, Keys::Link, &|| format!("identities[{index}]"));
        if let Err(failure) = read {
            // A JavaScript exception (a throwing getter) is already pending: it goes up as is.
            if let Failure::Napi(_) = failure {
                return Err(failure);
            }
            // An earlier identity the core refuses comes first (only this error path pays for the check).
            if let Err(error) = signer.survey_links(url, &store.requests()) {
                return Err(error.into());
            }
            return Err(match failure {
                Failure::Core(error) => Failure::Core(error.at_index(index as usize)),
                other => other,
            });
        }
    }
    drop(scope);
    Ok(store)
}

/// The links as the text of a JSON array of strings, made by the core's engine.
fn links_json(signer: &refiner_identity::Signer, url: &SurveyUrl<'_>, store: &Identities) -> Result<String, Error> {
    let requests = store.requests();
    let mut json = String::with_capacity(2 + requests.len() * 160);
    json.push('[');
    signer.survey_links_chunks(url, &requests, LINKS_PER_CHUNK, |links| {
        for link in links {
            if json.len() > 1 {
                json.push(',');
            }
            push_json_string(&mut json, link);
        }
    })?;
    json.push(']');
    Ok(json)
}

/// A link as a JSON string (links are printable ASCII: only `"` and `\` need escaping).
fn push_json_string(json: &mut String, link: &str) {
    json.push('"');
    for piece in link.split_inclusive(['"', '\\']) {
        match piece.as_bytes().last() {
            Some(b'"' | b'\\') => {
                json.push_str(&piece[..piece.len() - 1]);
                json.push('\\');
                json.push_str(&piece[piece.len() - 1..]);
            }
            _ => json.push_str(piece),
        }
    }
    json.push('"');
}

/// The work of `surveyLinksAsync`: values already read; links made on the pool.
pub struct SurveyLinks {
    signer: Arc<refiner_identity::Signer>,
    url: String,
    store: Identities,
    /// A Refiner error found while reading: the promise rejects with it.
    refused: Option<Error>,
}

impl<'task> ScopedTask<'task> for SurveyLinks {
    type Output = Result<String, Error>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        if let Some(error) = self.refused.take() {
            return Ok(Err(error));
        }
        Ok(SurveyUrl::parse(&self.url).and_then(|url| links_json(&self.signer, &url, &self.store)))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        match output {
            Ok(json) => {
                let links = intrinsics::parse_json(Js { env: env.raw() }, &json)?;
                // SAFETY: a live value of this env, returned on the main thread.
                Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), links) })
            }
            Err(error) => Err(rejection(env, error)),
        }
    }
}
