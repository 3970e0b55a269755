//! The `string[]` a batch returns. Signatures arrive from the core a chunk at
//! a time; each chunk becomes one latin1 string made straight from their
//! bytes, and one call of the `appendSignatures` helper slices it into the
//! result, an array made once with a slot per id (instead of a string creation
//! and an element store per id, and an array regrown as it fills). A kept
//! signature pins at most its chunk's string.

use napi::bindgen_prelude::{Array, FromNapiValue};
use napi::{sys, Env, JsString, JsValue};
use refiner_identity::Signature;

use crate::js_helpers::{call, check, Helper};

/// Signatures per chunk string: 256 KiB strings go to V8's large-object
/// space, which young-generation collections do not copy.
pub const PER_STRING: usize = 4096;

/// Collects signatures as they are signed, then hands over the JS array.
pub struct ResultStrings<'env> {
    env: &'env Env,
    /// The array being filled (made by the first `appendSignatures` call).
    array: Option<sys::napi_value>,
    /// Signatures announced, and still to come: the call that brings the last one finishes the array.
    total: usize,
    remaining: usize,
    failure: Option<napi::Error>,
}

impl<'env> ResultStrings<'env> {
    /// For `total` signatures, pushed in order.
    pub fn new(env: &'env Env, total: usize) -> Self {
        ResultStrings { env, array: None, total, remaining: total, failure: None }
    }

    /// Appends up to `PER_STRING` signatures, in order (the first napi failure
    /// is kept for `finish`: the core's callback cannot fail).
    pub fn push(&mut self, signatures: &[Signature]) {
        if signatures.is_empty() || self.failure.is_some() {
            return;
        }
        if signatures.len() > self.remaining {
            // More than announced would write past the array's slots.
            self.failure = Some(napi::Error::from_reason("refiner-identity: more signatures than ids (a bug)"));
            return;
        }
        let at = self.total - self.remaining;
        self.remaining -= signatures.len();
        if let Err(error) = self.append(Signature::concatenated(signatures), self.remaining == 0, at) {
            self.failure = Some(error);
        }
    }

    fn append(&mut self, chunk: &[u8], last: bool, at: usize) -> napi::Result<()> {
        let env = self.env;
        let chunk: JsString = env.create_string_latin1(chunk)?;
        let (mut undefined, mut last_value) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: out-pointers are locals; both are singletons of this env.
        unsafe {
            check(sys::napi_get_undefined(env.raw(), &mut undefined))?;
            check(sys::napi_get_boolean(env.raw(), last, &mut last_value))?;
        }
        let out = self.array.unwrap_or(undefined);
        let (total, at) = (env.create_double(self.total as f64)?, env.create_double(at as f64)?);
        self.array = Some(call(env, Helper::AppendSignatures, &[out, chunk.raw(), last_value, total.raw(), at.raw()])?);
        Ok(())
    }

    /// The JS array holding every signature pushed, in order.
    pub fn finish(mut self) -> napi::Result<Array<'env>> {
        if let Some(error) = self.failure.take() {
            return Err(error);
        }
        if self.remaining > 0 {
            // The array was sized for every id: a missing signature would leave a hole.
            return Err(napi::Error::from_reason("refiner-identity: fewer signatures than ids (a bug)"));
        }
        if self.array.is_none() {
            // An empty batch: the one empty chunk makes the array.
            self.append(&[], true, 0)?;
        }
        let array = self.array.ok_or_else(|| napi::Error::from_reason("no result array"))?;
        // SAFETY: `appendSignatures` returns the array it filled, a value of this env.
        unsafe { Array::from_napi_value(self.env.raw(), array) }
    }
}
