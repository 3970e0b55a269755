//! Small JavaScript functions compiled once per env (main thread or worker)
//! when the module loads. A batch crosses the napi boundary in a few calls
//! instead of several per id.
//!
//! They must give the same answer whatever user code does later, so they call
//! no method a program can replace: built-ins are captured when the script
//! runs (`Array.isArray`, `Object.setPrototypeOf`, `String.prototype.slice`,
//! `Uint32Array`), and the rest is syntax on primitives (`typeof`, `+=`, a
//! string's length) and stores into a `Uint32Array` or an array without a
//! prototype, which no setter on `Array.prototype` or `Object.prototype` can
//! intercept. Each element of a user's array is read exactly once.
//!
//! The env's instance data holds their references; this module is its only
//! user (the renderers keep theirs in intrinsics.rs).

use napi::bindgen_prelude::{JsValue, Unknown};
use napi::{sys, Env};

/// Ids per `readStrings` call at most (the lengths array it fills holds as many).
pub const SEGMENT_IDS: u32 = 16_384;
/// UTF-16 units per `readStrings` call: far below V8's longest string, and it
/// bounds the UTF-8 copy of one segment to 48 MiB.
const SEGMENT_UNITS: usize = 1 << 24;

/// Returns `[lengthOf, startBatch, readStrings, appendSignatures]`.
fn source() -> String {
    format!(
        "(function () {{
  'use strict';
  const isArray = Array.isArray;
  const setPrototypeOf = Object.setPrototypeOf;
  const arrayPrototype = Array.prototype;
  const NewArray = Array;
  const Lengths = Uint32Array;
  const sliceString = Function.prototype.call.bind(String.prototype.slice);

  // An array's (or an array Proxy's) length, read once; undefined for anything else.
  function lengthOf(value) {{
    return isArray(value) ? value.length : undefined;
  }}

  // undefined if `ids` is not an array; [length] if its length is not an array
  // length (a Proxy may say anything); else [length, lengths, the first segment].
  function startBatch(ids) {{
    if (!isArray(ids)) return undefined;
    const length = ids.length;
    if (typeof length !== 'number' || length >>> 0 !== length) return [length];
    const capacity = length < {SEGMENT_IDS} ? length : {SEGMENT_IDS};
    const lengths = new Lengths(capacity);
    return [length, lengths, readStrings(ids, 0, length, lengths, capacity)];
  }}

  // Reads ids[start..end) while they are non-empty strings, at most `capacity` of
  // them: [next index, them joined], each one's UTF-16 length in `lengths`; plus,
  // as a third element, the value that stopped it (already read, so the caller
  // must not read ids[next] again).
  function readStrings(ids, start, end, lengths, capacity) {{
    let joined = '';
    let count = 0;
    let i = start;
    for (; i < end && count < capacity; i++) {{
      const id = ids[i];
      if (typeof id !== 'string' || id.length === 0 || joined.length + id.length > {SEGMENT_UNITS}) {{
        return [i, joined, id];
      }}
      lengths[count++] = id.length;
      joined += id;
    }}
    return [i, joined];
  }}

  // Writes the 64-character signatures that `chunk` holds back to back into
  // `out` from index `at` (`out`: a new array of `total` slots when undefined,
  // sized once). The array has no prototype until the last chunk, so no setter
  // on a prototype sees the stores.
  function appendSignatures(out, chunk, last, total, at) {{
    if (out === undefined) {{
      out = new NewArray(total);
      setPrototypeOf(out, null);
    }}
    for (let i = 0; i < chunk.length; i += 64) out[at++] = sliceString(chunk, i, i + 64);
    if (last) setPrototypeOf(out, arrayPrototype);
    return out;
  }}

  return [lengthOf, startBatch, readStrings, appendSignatures];
}})()"
    )
}

#[derive(Clone, Copy)]
pub enum Helper {
    LengthOf = 0,
    StartBatch = 1,
    ReadStrings = 2,
    AppendSignatures = 3,
}

const HELPERS: usize = 4;

/// References to the compiled helpers, kept in the env's instance data.
struct Helpers {
    functions: [sys::napi_ref; HELPERS],
}

/// Compiles the helpers for this env.
pub fn install(env: &Env) -> napi::Result<()> {
    let list: Unknown = env.run_script(source())?;
    let mut functions = [std::ptr::null_mut(); HELPERS];
    for (index, slot) in functions.iter_mut().enumerate() {
        let mut function = std::ptr::null_mut();
        // SAFETY: `list` is the array the script above returns (a live value of
        // `env`); the reference keeps the function alive as long as the env.
        unsafe {
            check(sys::napi_get_element(env.raw(), list.raw(), index as u32, &mut function))?;
            check(sys::napi_create_reference(env.raw(), function, 1, slot))?;
        }
    }
    env.set_instance_data(Helpers { functions }, (), |_| {})
}

/// Calls a helper with raw argument values of `env`; returns its raw result.
/// A JavaScript exception thrown inside (by a user's getter or Proxy trap)
/// stays pending and comes back as an error with that status.
pub fn call(env: &Env, helper: Helper, args: &[sys::napi_value]) -> napi::Result<sys::napi_value> {
    let helpers = env
        .get_instance_data::<Helpers>()?
        .ok_or_else(|| napi::Error::from_reason("refiner-identity was not initialised in this thread"))?;
    let reference = helpers.functions[helper as usize];
    let (mut function, mut undefined, mut result) = (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: the reference was created for this env by `install`; the arguments
    // are live values of this env, as the caller guarantees; `args` outlives the call.
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
