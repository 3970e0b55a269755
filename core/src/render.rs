//! The renderers of SPEC.md section 9, on `Signer`: every language gets its
//! identify call, script tags, JSON and survey links from here, byte for byte.

use crate::error::{Error, Field, OptionProblem};
use crate::identity::Identity;
use crate::json::{write_string, write_user_fields};
use crate::signature::Signature;
use crate::signer::Signer;
use crate::survey_link::{LinkOptions, SurveyUrl};

/// Longest CSP nonce accepted.
const MAX_NONCE_LEN: usize = 256;

impl Signer {
    /// `_refiner('identifyUser',USER_JSON,{"signature":"HEX"});`
    pub fn identify_call(&self, identity: &Identity<'_>) -> Result<String, Error> {
        let signature = self.sign_identity(identity)?;
        let mut out = String::with_capacity(buffer_len(identity, None));
        write_identify_call(&mut out, identity, &signature)?;
        Ok(out)
    }

    /// `<script>` (or `<script nonce="NONCE">`) + the identify call + `</script>`.
    pub fn script_tag(&self, identity: &Identity<'_>, nonce: Option<&str>) -> Result<String, Error> {
        check_nonce(nonce)?;
        let signature = self.sign_identity(identity)?;
        let mut out = String::with_capacity(buffer_len(identity, nonce));
        open_script(&mut out, nonce);
        write_identify_call(&mut out, identity, &signature)?;
        out.push_str("</script>");
        Ok(out)
    }

    /// `{"user":USER_JSON,"signature":"HEX"}`, the JSON a single-page app or mobile backend sends on.
    pub fn identify_payload_json(&self, identity: &Identity<'_>) -> Result<String, Error> {
        let signature = self.sign_identity(identity)?;
        let mut out = String::with_capacity(buffer_len(identity, None));
        out.push_str("{\"user\":");
        write_user_fields(&mut out, identity)?;
        out.push_str("},\"signature\":");
        write_string(&mut out, signature.as_str());
        out.push('}');
        Ok(out)
    }

    /// The user JSON's fields plus `identify_verification_signature`, for Google Tag Manager.
    pub fn gtm_traits_json(&self, identity: &Identity<'_>) -> Result<String, Error> {
        let signature = self.sign_identity(identity)?;
        let mut out = String::with_capacity(buffer_len(identity, None));
        write_gtm_traits(&mut out, identity, &signature)?;
        Ok(out)
    }

    /// `<script>` (with the nonce) + `window.dataLayer=window.dataLayer||[];window.dataLayer.push(`
    /// + the GTM traits JSON + `);</script>`.
    pub fn gtm_script_tag(&self, identity: &Identity<'_>, nonce: Option<&str>) -> Result<String, Error> {
        check_nonce(nonce)?;
        let signature = self.sign_identity(identity)?;
        let mut out = String::with_capacity(buffer_len(identity, nonce) + 64);
        open_script(&mut out, nonce);
        out.push_str("window.dataLayer=window.dataLayer||[];window.dataLayer.push(");
        write_gtm_traits(&mut out, identity, &signature)?;
        out.push_str(");</script>");
        Ok(out)
    }

    /// The survey link for one identity (SPEC.md section 9.6).
    pub fn survey_link(
        &self,
        url: &SurveyUrl<'_>,
        identity: &Identity<'_>,
        options: &LinkOptions<'_>,
    ) -> Result<String, Error> {
        identity.validate()?;
        url.check(identity, options)?;
        let signature = self.sign(identity.id)?;
        url.link(identity, &signature, options)
    }

    /// Checks the identity, then signs its id.
    fn sign_identity(&self, identity: &Identity<'_>) -> Result<Signature, Error> {
        identity.validate()?;
        self.sign(identity.id)
    }
}

/// Room for a rendering: the identity's text and the renderer's own (the
/// longest, GTM's script tag, adds 64 more), so the buffer rarely grows.
fn buffer_len(identity: &Identity<'_>, nonce: Option<&str>) -> usize {
    identity.text_len() + 160 + nonce.map_or(0, |nonce| nonce.len() + 24)
}

fn write_identify_call(out: &mut String, identity: &Identity<'_>, signature: &Signature) -> Result<(), Error> {
    out.push_str("_refiner('identifyUser',");
    write_user_fields(out, identity)?;
    out.push_str("},{\"signature\":\"");
    out.push_str(signature.as_str());
    out.push_str("\"});");
    Ok(())
}

fn write_gtm_traits(out: &mut String, identity: &Identity<'_>, signature: &Signature) -> Result<(), Error> {
    write_user_fields(out, identity)?;
    out.push_str(",\"identify_verification_signature\":\"");
    out.push_str(signature.as_str());
    out.push_str("\"}");
    Ok(())
}

fn open_script(out: &mut String, nonce: Option<&str>) {
    match nonce {
        Some(nonce) => {
            out.push_str("<script nonce=\"");
            out.push_str(nonce);
            out.push_str("\">");
        }
        None => out.push_str("<script>"),
    }
}

/// 1 to 256 characters of `A-Z a-z 0-9 + / = _ -`; never echoed, since it would go into HTML.
pub fn check_nonce(nonce: Option<&str>) -> Result<(), Error> {
    let Some(nonce) = nonce else { return Ok(()) };
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-');
    if nonce.is_empty() || nonce.len() > MAX_NONCE_LEN || !nonce.bytes().all(allowed) {
        return Err(Error::option(Field::Nonce, OptionProblem::Nonce));
    }
    Ok(())
}
