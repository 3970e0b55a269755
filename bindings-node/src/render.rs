//! The renderers of SPEC.md section 9 on `Signer`, for one identity each:
//! read the identity object, call the core once, return its text (or, for the
//! payload and GTM traits, its JSON parsed with the JSON.parse of module load).
//! At load, render_fast.rs puts faster entry points in their place; these
//! `#[napi]` methods remain the source of index.d.ts and the fallback.

use std::cell::Cell;

use napi::bindgen_prelude::{JsValue, Unknown};
use napi::Env;
use napi_derive::napi;
use refiner_identity::SurveyUrl;

use crate::error::{throwing, Failure};
use crate::identity::Identities;
use crate::identity_reader::{Keys, Reader};
use crate::intrinsics;
use crate::raw_js::{Js, Kind, Value};
use crate::signer::Signer;

/// One renderer (its number is shared with render_fast.rs's JavaScript).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Op {
    IdentifyCall = 0,
    ScriptTag = 1,
    IdentifyPayload = 2,
    GtmTraits = 3,
    GtmScriptTag = 4,
    SurveyLink = 5,
}

impl Op {
    pub const ALL: [Op; 6] =
        [Op::IdentifyCall, Op::ScriptTag, Op::IdentifyPayload, Op::GtmTraits, Op::GtmScriptTag, Op::SurveyLink];

    /// The keys its identity object may have.
    pub fn keys(self) -> Keys {
        match self {
            Op::IdentifyCall | Op::IdentifyPayload | Op::GtmTraits => Keys::Identity,
            Op::ScriptTag | Op::GtmScriptTag => Keys::Script,
            Op::SurveyLink => Keys::Link,
        }
    }

    /// True when it returns JSON text to be parsed into an object.
    pub fn returns_json(self) -> bool {
        matches!(self, Op::IdentifyPayload | Op::GtmTraits)
    }

    pub fn js_name(self) -> &'static str {
        match self {
            Op::IdentifyCall => "identifyCall",
            Op::ScriptTag => "scriptTag",
            Op::IdentifyPayload => "identifyPayload",
            Op::GtmTraits => "gtmTraits",
            Op::GtmScriptTag => "gtmScriptTag",
            Op::SurveyLink => "surveyLink",
        }
    }

    /// The core's rendering of the store's one identity (`url` for survey links).
    pub fn render(
        self,
        signer: &refiner_identity::Signer,
        store: &Identities,
        url: Option<&SurveyUrl<'_>>,
    ) -> Result<String, Failure> {
        let identity = store.identity(0);
        Ok(match (self, url) {
            (Op::IdentifyCall, _) => signer.identify_call(&identity)?,
            (Op::ScriptTag, _) => signer.script_tag(&identity, store.nonce(0))?,
            (Op::IdentifyPayload, _) => signer.identify_payload_json(&identity)?,
            (Op::GtmTraits, _) => signer.gtm_traits_json(&identity)?,
            (Op::GtmScriptTag, _) => signer.gtm_script_tag(&identity, store.nonce(0))?,
            (Op::SurveyLink, Some(url)) => signer.survey_link(url, &identity, &store.options(0))?,
            (Op::SurveyLink, None) => return Err(Failure::WrongType("url must be a string".into())),
        })
    }
}

#[napi]
impl Signer {
    /// `_refiner('identifyUser',{"id":...},{"signature":"..."});`: the web
    /// client's identify call for `identity` (SPEC.md section 9), its JSON
    /// escaped for an inline `<script>`. Throws `ERR_REFINER_INVALID_TRAIT` for
    /// a bad field and `TypeError` for a wrong argument shape.
    #[napi(ts_args_type = "identity: Identity", ts_return_type = "string")]
    pub fn identify_call<'env>(&self, env: &'env Env, identity: Unknown) -> napi::Result<Unknown<'env>> {
        self.render_op(env, Op::IdentifyCall, None, identity)
    }

    /// `<script>` (or `<script nonce="...">`) + the identify call + `</script>`.
    /// A nonce must be 1 to 256 characters of `A-Z a-z 0-9 + / = _ -`.
    #[napi(ts_args_type = "identity: Identity & { nonce?: string | null }", ts_return_type = "string")]
    pub fn script_tag<'env>(&self, env: &'env Env, identity: Unknown) -> napi::Result<Unknown<'env>> {
        self.render_op(env, Op::ScriptTag, None, identity)
    }

    /// `{ user: { id, email?, name?, ...traits }, signature }`, for a JSON
    /// endpoint (single-page apps, mobile backends).
    #[napi(ts_args_type = "identity: Identity", ts_return_type = "{ user: IdentifiedUser; signature: string }")]
    pub fn identify_payload<'env>(&self, env: &'env Env, identity: Unknown) -> napi::Result<Unknown<'env>> {
        self.render_op(env, Op::IdentifyPayload, None, identity)
    }

    /// `{ id, email?, name?, ...traits, identify_verification_signature }`,
    /// the user traits for Google Tag Manager.
    #[napi(
        ts_args_type = "identity: Identity",
        ts_return_type = "IdentifiedUser & { identify_verification_signature: string }"
    )]
    pub fn gtm_traits<'env>(&self, env: &'env Env, identity: Unknown) -> napi::Result<Unknown<'env>> {
        self.render_op(env, Op::GtmTraits, None, identity)
    }

    /// `<script>` (with the nonce, if any) +
    /// `window.dataLayer=window.dataLayer||[];window.dataLayer.push(` + the GTM
    /// traits JSON + `);</script>`.
    #[napi(ts_args_type = "identity: Identity & { nonce?: string | null }", ts_return_type = "string")]
    pub fn gtm_script_tag<'env>(&self, env: &'env Env, identity: Unknown) -> napi::Result<Unknown<'env>> {
        self.render_op(env, Op::GtmScriptTag, None, identity)
    }

    /// The survey link for `identity`: `url` (absolute http(s), its query and
    /// fragment kept) with `contact_id`, `signature`, the contact's fields,
    /// `locale`, `tags` and `response_<key>`. Throws `ERR_REFINER_INVALID_OPTION`
    /// for a bad url, locale or tags.
    #[napi(ts_args_type = "url: string, identity: SurveyLinkIdentity", ts_return_type = "string")]
    pub fn survey_link<'env>(&self, env: &'env Env, url: Unknown, identity: Unknown) -> napi::Result<Unknown<'env>> {
        self.render_op(env, Op::SurveyLink, Some(url.raw()), identity)
    }
}

impl Signer {
    fn render_op<'env>(
        &self,
        env: &'env Env,
        op: Op,
        url: Option<Value>,
        identity: Unknown,
    ) -> napi::Result<Unknown<'env>> {
        let js = Js { env: env.raw() };
        let text = throwing(env, || {
            let url = url.map(|url| read_url(js, url)).transpose()?;
            let url = url.as_deref().map(SurveyUrl::parse).transpose()?;
            with_store(|store| {
                Reader::new(js, store).read(identity.raw(), op.keys(), &|| "identity".into())?;
                op.render(self.core(), store, url.as_ref())
            })
        })?;
        let value = if op.returns_json() { intrinsics::parse_json(js, &text)? } else { js.string(&text)? };
        // SAFETY: a live value of this call's env.
        Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), value) })
    }
}

/// Stores larger than this are dropped after use rather than kept for the next call.
const KEPT_TEXT: usize = 64 * 1024;

thread_local! {
    // One store per thread, reused by single-identity calls (a call made from
    // a getter during another finds it taken and uses a fresh one).
    static SPARE: Cell<Option<Identities>> = const { Cell::new(None) };
}

/// Runs `body` with an empty store (the thread's spare one when it is free).
pub(crate) fn with_store<R>(body: impl FnOnce(&mut Identities) -> Result<R, Failure>) -> Result<R, Failure> {
    let mut store = SPARE.with(Cell::take).unwrap_or_default();
    store.clear();
    let result = body(&mut store);
    if store.text.capacity() <= KEPT_TEXT {
        SPARE.with(|spare| spare.set(Some(store)));
    }
    result
}

/// The survey's base URL: a string (its checks are the core's).
pub(crate) fn read_url(js: Js, url: Value) -> Result<String, Failure> {
    if js.kind(url)? != Kind::String {
        return Err(Failure::WrongType(format!("url must be a string; received {}", js.type_name(url)?)));
    }
    let mut text = String::new();
    js.read_text(url, &mut text)?;
    Ok(text)
}
