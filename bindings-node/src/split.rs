//! `string[]` results for batches: signatures become one latin1 string per
//! 1,024, and one call of the `split` helper slices them all into the result
//! array (instead of a string creation and an element store per id). A kept
//! signature pins at most its chunk's 64 KiB string.

use napi::bindgen_prelude::{Array, FromNapiValue, JsValue};
use napi::{Env, JsString};
use refiner_identity::Signature;

use crate::js_helpers::{call, Helper};

/// Signatures per chunk string.
const PER_STRING: usize = 1024;

/// Collects signatures as they are signed, then builds the JS array.
pub struct SignatureStrings<'env> {
    env: &'env Env,
    strings: Array<'env>,
    count: u32,
    pending: Vec<u8>,
    failure: Option<napi::Error>,
}

impl<'env> SignatureStrings<'env> {
    pub fn new(env: &'env Env) -> napi::Result<Self> {
        Ok(SignatureStrings {
            env,
            strings: env.create_array(0)?,
            count: 0,
            pending: Vec::with_capacity(64 * PER_STRING),
            failure: None,
        })
    }

    /// Adds signatures in order (the first napi failure is kept for `finish`).
    pub fn push(&mut self, signatures: &[Signature]) {
        for signature in signatures {
            self.pending.extend_from_slice(signature.as_bytes());
            if self.pending.len() == 64 * PER_STRING {
                self.flush();
            }
        }
    }

    fn flush(&mut self) {
        if self.pending.is_empty() || self.failure.is_some() {
            return;
        }
        let stored =
            self.env.create_string_latin1(&self.pending).and_then(|text: JsString| self.strings.set(self.count, text));
        self.count += 1;
        self.pending.clear();
        if let Err(error) = stored {
            self.failure = Some(error);
        }
    }

    /// The JS array holding every signature pushed, in order.
    pub fn finish(mut self) -> napi::Result<Array<'env>> {
        self.flush();
        if let Some(error) = self.failure {
            return Err(error);
        }
        let result = call(self.env, Helper::Split, &[self.strings.raw()])?;
        // SAFETY: the split helper returns a new array of this env.
        unsafe { Array::from_napi_value(self.env.raw(), result) }
    }
}
