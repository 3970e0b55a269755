//! Built-ins the channel renderers use, captured once per env at module load,
//! so patching `JSON.parse`, `Object.keys`, `Map.prototype`, the Map iterator
//! or `Date.prototype` afterwards cannot change what a renderer reads or returns.

use std::cell::RefCell;

use napi::bindgen_prelude::{JsValue, Unknown};
use napi::{sys, Env};

use crate::raw_js::{check, Js, Value};

/// Which captured value (its index in the array `capture_source` builds).
#[derive(Clone, Copy)]
pub enum Intrinsic {
    JsonParse = 0,
    /// identity_reader.js, compiled with the built-ins of module load.
    ReadIdentity = 1,
}

const COUNT: usize = 2;

/// One array literal (its elements are created directly: no setter sees them).
fn capture_source() -> String {
    format!("[JSON.parse, {}]", include_str!("identity_reader.js"))
}

struct Captured {
    env: sys::napi_env,
    references: [sys::napi_ref; COUNT],
}

thread_local! {
    // One env per thread in Node (the main thread, or one per worker), so a
    // thread-local list keyed by env is enough; the env's instance data slot
    // belongs to js_helpers.
    static CAPTURED: RefCell<Vec<Captured>> = const { RefCell::new(Vec::new()) };
}

/// Captures the built-ins for this env (called from the module's init).
pub fn install(env: &Env) -> napi::Result<()> {
    let js = Js { env: env.raw() };
    let captured: Unknown = env.run_script(capture_source())?;
    let mut references = [std::ptr::null_mut(); COUNT];
    for (index, reference) in references.iter_mut().enumerate() {
        let value = js.element(captured.raw(), index as u32)?;
        // SAFETY: `value` is a live value of `env`; the strong reference keeps it for the env's life.
        check(unsafe { sys::napi_create_reference(env.raw(), value, 1, reference) })?;
    }
    CAPTURED.with(|captured| {
        let mut captured = captured.borrow_mut();
        captured.retain(|entry| entry.env != env.raw());
        captured.push(Captured { env: env.raw(), references });
    });
    Ok(())
}

/// The captured value for this env.
pub fn get(js: Js, which: Intrinsic) -> napi::Result<Value> {
    let reference = CAPTURED.with(|captured| {
        captured.borrow().iter().find(|entry| entry.env == js.env).map(|entry| entry.references[which as usize])
    });
    let reference =
        reference.ok_or_else(|| napi::Error::from_reason("refiner-identity was not initialised in this thread"))?;
    let mut value = std::ptr::null_mut();
    // SAFETY: the reference was created for this env by `install` and is never deleted.
    check(unsafe { sys::napi_get_reference_value(js.env, reference, &mut value) })?;
    Ok(value)
}

/// `JSON.parse(text)` with the JSON.parse of module load.
pub fn parse_json(js: Js, text: &str) -> napi::Result<Value> {
    let parse = get(js, Intrinsic::JsonParse)?;
    let text = js.string(text)?;
    js.call(parse, js.undefined()?, &[text])
}
