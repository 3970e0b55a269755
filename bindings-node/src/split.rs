//! `string[]` results for batches: signatures become one latin1 string per
//! 4,096, and one call of the `split` helper slices them all into the result
//! array (instead of a string creation and an element store per id). A kept
//! signature pins at most its chunk's 256 KiB string.

use napi::bindgen_prelude::{Array, FromNapiValue, JsValue};
use napi::{Env, JsString};
use refiner_identity::Signature;

use crate::js_helpers::{call, Helper};

/// Signatures per chunk string. 256 KiB strings go straight to V8's
/// large-object space, which the young-generation GC never copies (64 KiB ones
/// were copied by every scavenge: about 25 ms more per million ids).
pub const PER_STRING: usize = 4096;

/// Collects signatures as they are signed, then builds the JS array.
pub struct SignatureStrings<'env> {
    env: &'env Env,
    strings: Array<'env>,
    count: u32,
    failure: Option<napi::Error>,
}

impl<'env> SignatureStrings<'env> {
    pub fn new(env: &'env Env) -> napi::Result<Self> {
        Ok(SignatureStrings { env, strings: env.create_array(0)?, count: 0, failure: None })
    }

    /// Adds up to `PER_STRING` signatures, in order, as one latin1 string made
    /// straight from their bytes (the first napi failure is kept for `finish`).
    pub fn push(&mut self, signatures: &[Signature]) {
        if signatures.is_empty() || self.failure.is_some() {
            return;
        }
        let stored = self
            .env
            .create_string_latin1(Signature::concatenated(signatures))
            .and_then(|text: JsString| self.strings.set(self.count, text));
        self.count += 1;
        if let Err(error) = stored {
            self.failure = Some(error);
        }
    }

    /// The JS array holding every signature pushed, in order.
    pub fn finish(self) -> napi::Result<Array<'env>> {
        if let Some(error) = self.failure {
            return Err(error);
        }
        let result = call(self.env, Helper::Split, &[self.strings.raw()])?;
        // SAFETY: the split helper returns a new array of this env.
        unsafe { Array::from_napi_value(self.env.raw(), result) }
    }
}
