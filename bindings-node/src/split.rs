//! `string[]` results for batches. Each chunk of signatures becomes one latin1
//! string that a small JS function slices into the result array: one napi
//! call per chunk instead of a string creation and an element store per id
//! (those measured as the largest share of `signMany`). Chunks stay small, so
//! a kept signature pins at most one chunk's string.

use napi::{sys, Env, JsString};
use refiner_identity::Signature;

use crate::scope::{ChunkScope, CHUNK};

const SPLITTER_SOURCE: &str = "(function splitSignatures(chunk, out, offset) {\
  for (let i = 0, n = chunk.length / 64; i < n; i++) out[offset + i] = chunk.slice(i * 64, i * 64 + 64);\
})";

/// The splitter function of one env (main thread or worker), kept alive by a reference.
struct Splitter(sys::napi_ref);

/// Compiles the splitter once per env, at module load.
pub fn install(env: &Env) -> napi::Result<()> {
    let function: napi::bindgen_prelude::Unknown = env.run_script(SPLITTER_SOURCE)?;
    let mut reference = std::ptr::null_mut();
    // SAFETY: `function` is a live value of `env`; the reference lives as long as the env.
    check(unsafe {
        sys::napi_create_reference(env.raw(), napi::bindgen_prelude::JsValue::raw(&function), 1, &mut reference)
    })?;
    env.set_instance_data(Splitter(reference), (), |_| {})
}

/// A JS array holding the signatures as strings, in order.
pub fn signatures_array<'env>(
    env: &'env Env,
    signatures: &[Signature],
) -> napi::Result<napi::bindgen_prelude::Array<'env>> {
    let splitter = env
        .get_instance_data::<Splitter>()?
        .ok_or_else(|| napi::Error::from_reason("refiner-identity was not initialised in this thread"))?;
    let raw_env = env.raw();
    let array = env.create_array(u32::try_from(signatures.len()).unwrap_or(u32::MAX))?;
    let mut function = std::ptr::null_mut();
    let mut undefined = std::ptr::null_mut();
    // SAFETY: the reference was created for this env by `install`.
    check(unsafe { sys::napi_get_reference_value(raw_env, splitter.0, &mut function) })?;
    check(unsafe { sys::napi_get_undefined(raw_env, &mut undefined) })?;
    let mut chunk_text = Vec::with_capacity(64 * CHUNK as usize);
    for (chunk_index, chunk) in signatures.chunks(CHUNK as usize).enumerate() {
        let _scope = ChunkScope::open(raw_env)?;
        chunk_text.clear();
        for signature in chunk {
            chunk_text.extend_from_slice(signature.as_bytes());
        }
        let text: JsString = env.create_string_latin1(&chunk_text)?;
        let offset = env.create_uint32(u32::try_from(chunk_index * CHUNK as usize).unwrap_or(u32::MAX))?;
        let args = [
            napi::bindgen_prelude::JsValue::raw(&text),
            napi::bindgen_prelude::JsValue::raw(&array),
            napi::bindgen_prelude::JsValue::raw(&offset),
        ];
        let mut result = std::ptr::null_mut();
        // SAFETY: all four values belong to this env and outlive the call.
        check(unsafe { sys::napi_call_function(raw_env, undefined, function, 3, args.as_ptr(), &mut result) })?;
    }
    Ok(array)
}

fn check(status: sys::napi_status) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(napi::Status::from(status), "building the signature array failed"))
    }
}
