//! Two small JavaScript functions compiled once per env (main thread or
//! worker) at module load. They move a whole batch across the napi boundary
//! in a few calls instead of several calls per id, which measured as most of
//! `signMany`'s time:
//! - `join`: for an array of strings only, the strings joined plus each one's
//!   UTF-16 length (anything else: `undefined`, and the caller reads element by element);
//! - `split`: slices chunks of 64-character signatures into the result array.

use napi::bindgen_prelude::{JsValue, Unknown};
use napi::{sys, Env};

const JOIN_SOURCE: &str = "(function joinStrings(ids) {\
  const lengths = new Uint32Array(ids.length);\
  for (let i = 0; i < ids.length; i++) {\
    if (typeof ids[i] !== 'string') return undefined;\
    lengths[i] = ids[i].length;\
  }\
  return [ids.join(''), lengths];\
})";

// Builds the result with push: a pre-sized array of a million holes is a
// dictionary-mode array in V8, and filling it measured several times slower.
const SPLIT_SOURCE: &str = "(function splitSignatures(chunks) {\
  const out = [];\
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i += 64) out.push(chunk.slice(i, i + 64));\
  return out;\
})";

/// References to the compiled helpers, kept in the env's instance data.
struct Helpers {
    join: sys::napi_ref,
    split: sys::napi_ref,
}

#[derive(Clone, Copy)]
pub enum Helper {
    Join,
    Split,
}

/// Compiles the helpers for this env.
pub fn install(env: &Env) -> napi::Result<()> {
    let compile = |source: &str| -> napi::Result<sys::napi_ref> {
        let function: Unknown = env.run_script(source)?;
        let mut reference = std::ptr::null_mut();
        // SAFETY: `function` is a live value of `env`; the reference lives as long as the env.
        check(unsafe { sys::napi_create_reference(env.raw(), function.raw(), 1, &mut reference) })?;
        Ok(reference)
    };
    let helpers = Helpers { join: compile(JOIN_SOURCE)?, split: compile(SPLIT_SOURCE)? };
    env.set_instance_data(helpers, (), |_| {})
}

/// Calls a helper with raw argument values of `env`; returns its raw result.
pub fn call(env: &Env, helper: Helper, args: &[sys::napi_value]) -> napi::Result<sys::napi_value> {
    let helpers = env
        .get_instance_data::<Helpers>()?
        .ok_or_else(|| napi::Error::from_reason("refiner-identity was not initialised in this thread"))?;
    let reference = match helper {
        Helper::Join => helpers.join,
        Helper::Split => helpers.split,
    };
    let (mut function, mut undefined, mut result) = (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: the reference was created for this env by `install`; the arguments
    // are live values of this env, as the caller guarantees.
    unsafe {
        check(sys::napi_get_reference_value(env.raw(), reference, &mut function))?;
        check(sys::napi_get_undefined(env.raw(), &mut undefined))?;
        check(sys::napi_call_function(env.raw(), undefined, function, args.len(), args.as_ptr(), &mut result))?;
    }
    Ok(result)
}

pub fn check(status: sys::napi_status) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(napi::Status::from(status), "a refiner-identity napi call failed"))
    }
}
