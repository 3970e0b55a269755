//! The renderers of SPEC.md section 9 on `Signer`, for one identity each:
//! read the identity object, call the core once, return its text (or, for the
//! payload and GTM traits, its JSON parsed with the JSON.parse of module load).

use napi::bindgen_prelude::{JsValue, Unknown};
use napi::Env;
use napi_derive::napi;
use refiner_identity::{Error, Identity, SurveyUrl};

use crate::error::{throwing, Failure};
use crate::identity::Identities;
use crate::identity_reader::{describe, Keys, Reader};
use crate::intrinsics;
use crate::raw_js::{Js, Kind, Value};
use crate::signer::Signer;

#[napi]
impl Signer {
    /// `_refiner('identifyUser',{"id":...},{"signature":"..."});`: the web
    /// client's identify call for `identity` (SPEC.md section 9), its JSON
    /// escaped for an inline `<script>`. Throws `ERR_REFINER_INVALID_TRAIT` for
    /// a bad field and `TypeError` for a wrong argument shape.
    #[napi(ts_args_type = "identity: Identity", ts_return_type = "string")]
    pub fn identify_call<'env>(&self, env: &'env Env, identity: Unknown) -> napi::Result<Unknown<'env>> {
        self.render_text(env, identity, Keys::Identity, |signer, identity, _| signer.identify_call(identity))
    }

    /// `<script>` (or `<script nonce="...">`) + the identify call + `</script>`.
    /// A nonce must be 1 to 256 characters of `A-Z a-z 0-9 + / = _ -`.
    #[napi(ts_args_type = "identity: Identity & { nonce?: string | null }", ts_return_type = "string")]
    pub fn script_tag<'env>(&self, env: &'env Env, identity: Unknown) -> napi::Result<Unknown<'env>> {
        self.render_text(env, identity, Keys::Script, |signer, identity, nonce| signer.script_tag(identity, nonce))
    }

    /// `{ user: { id, email?, name?, ...traits }, signature }`, for a JSON
    /// endpoint (single-page apps, mobile backends).
    #[napi(ts_args_type = "identity: Identity", ts_return_type = "{ user: IdentifiedUser; signature: string }")]
    pub fn identify_payload<'env>(&self, env: &'env Env, identity: Unknown) -> napi::Result<Unknown<'env>> {
        self.render_json(env, identity, |signer, identity| signer.identify_payload_json(identity))
    }

    /// `{ id, email?, name?, ...traits, identify_verification_signature }`,
    /// the user traits for Google Tag Manager.
    #[napi(
        ts_args_type = "identity: Identity",
        ts_return_type = "IdentifiedUser & { identify_verification_signature: string }"
    )]
    pub fn gtm_traits<'env>(&self, env: &'env Env, identity: Unknown) -> napi::Result<Unknown<'env>> {
        self.render_json(env, identity, |signer, identity| signer.gtm_traits_json(identity))
    }

    /// `<script>` (with the nonce, if any) +
    /// `window.dataLayer=window.dataLayer||[];window.dataLayer.push(` + the GTM
    /// traits JSON + `);</script>`.
    #[napi(ts_args_type = "identity: Identity & { nonce?: string | null }", ts_return_type = "string")]
    pub fn gtm_script_tag<'env>(&self, env: &'env Env, identity: Unknown) -> napi::Result<Unknown<'env>> {
        self.render_text(env, identity, Keys::Script, |signer, identity, nonce| signer.gtm_script_tag(identity, nonce))
    }

    /// The survey link for `identity`: `url` (absolute http(s), its query and
    /// fragment kept) with `contact_id`, `signature`, the contact's fields,
    /// `locale`, `tags` and `response_<key>`. Throws `ERR_REFINER_INVALID_OPTION`
    /// for a bad url, locale or tags.
    #[napi(ts_args_type = "url: string, identity: SurveyLinkIdentity", ts_return_type = "string")]
    pub fn survey_link<'env>(&self, env: &'env Env, url: Unknown, identity: Unknown) -> napi::Result<Unknown<'env>> {
        let js = Js { env: env.raw() };
        let link = throwing(env, || {
            let url = read_url(js, url.raw())?;
            let url = SurveyUrl::parse(&url)?;
            let store = read_one(js, identity.raw(), Keys::Link)?;
            Ok(self.core().survey_link(&url, &store.identity(0), &store.options(0))?)
        })?;
        text_value(env, &link)
    }
}

type RenderText = fn(&refiner_identity::Signer, &Identity<'_>, Option<&str>) -> Result<String, Error>;

impl Signer {
    fn render_text<'env>(
        &self,
        env: &'env Env,
        identity: Unknown,
        keys: Keys,
        render: RenderText,
    ) -> napi::Result<Unknown<'env>> {
        let js = Js { env: env.raw() };
        let text = throwing(env, || {
            let store = read_one(js, identity.raw(), keys)?;
            Ok(render(self.core(), &store.identity(0), store.nonce(0))?)
        })?;
        text_value(env, &text)
    }

    fn render_json<'env>(
        &self,
        env: &'env Env,
        identity: Unknown,
        render: fn(&refiner_identity::Signer, &Identity<'_>) -> Result<String, Error>,
    ) -> napi::Result<Unknown<'env>> {
        let js = Js { env: env.raw() };
        let json = throwing(env, || {
            let store = read_one(js, identity.raw(), Keys::Identity)?;
            Ok(render(self.core(), &store.identity(0))?)
        })?;
        let parsed = intrinsics::parse_json(js, &json)?;
        // SAFETY: a live value of this call's env.
        Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), parsed) })
    }
}

/// One identity object, read for a single renderer call.
fn read_one(js: Js, identity: Value, keys: Keys) -> Result<Identities, Failure> {
    let mut store = Identities::with_capacity(1);
    Reader::new(js, &mut store).read(identity, keys, &|| "identity".into())?;
    Ok(store)
}

/// The survey's base URL: a string (its checks are the core's).
pub(crate) fn read_url(js: Js, url: Value) -> Result<String, Failure> {
    if js.kind(url)? != Kind::String {
        return Err(Failure::WrongType(format!("url must be a string; received {}", describe(js, url)?)));
    }
    let mut text = String::new();
    js.read_text(url, &mut text)?;
    Ok(text)
}

fn text_value<'env>(env: &'env Env, text: &str) -> napi::Result<Unknown<'env>> {
    let value = Js { env: env.raw() }.string(text)?;
    // SAFETY: a live value of this call's env.
    Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), value) })
}
