//! The `string[]` a batch returns. Signatures arrive from the core a chunk at
//! a time; each chunk becomes one latin1 string made straight from their
//! bytes, and one call of the `appendSignatures` helper slices it into the
//! result (instead of a string creation and an element store per id). A kept
//! signature pins at most its chunk's string.

use napi::bindgen_prelude::{Array, FromNapiValue};
use napi::{sys, Env, JsString, JsValue};
use refiner_identity::Signature;

use crate::js_helpers::{call, Helper};

/// Signatures per chunk string: 256 KiB strings go to V8's large-object
/// space, which young-generation collections do not copy.
pub const PER_STRING: usize = 4096;

/// Collects signatures as they are signed, then hands over the JS array.
pub struct ResultStrings<'env> {
    env: &'env Env,
    array: sys::napi_value,
    failure: Option<napi::Error>,
}

impl<'env> ResultStrings<'env> {
    pub fn new(env: &'env Env) -> napi::Result<Self> {
        let array = call(env, Helper::NewResult, &[])?;
        Ok(ResultStrings { env, array, failure: None })
    }

    /// Appends up to `PER_STRING` signatures, in order (the first napi failure
    /// is kept for `finish`: the core's callback cannot fail).
    pub fn push(&mut self, signatures: &[Signature]) {
        if signatures.is_empty() || self.failure.is_some() {
            return;
        }
        let appended = self
            .env
            .create_string_latin1(Signature::concatenated(signatures))
            .and_then(|chunk: JsString| call(self.env, Helper::AppendSignatures, &[self.array, chunk.raw()]));
        if let Err(error) = appended {
            self.failure = Some(error);
        }
    }

    /// The JS array holding every signature pushed, in order.
    pub fn finish(self) -> napi::Result<Array<'env>> {
        if let Some(error) = self.failure {
            return Err(error);
        }
        let result = call(self.env, Helper::FinishResult, &[self.array])?;
        // SAFETY: `finishResult` returns the array `newResult` made, now with Array.prototype.
        unsafe { Array::from_napi_value(self.env.raw(), result) }
    }
}
