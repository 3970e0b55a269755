//! Built-ins the channel renderers use, captured once per env at module load,
//! so patching `JSON.parse`, `Map.prototype` or the Map iterator afterwards
//! cannot change what a renderer reads or returns.

use std::cell::RefCell;

use napi::bindgen_prelude::{JsValue, Unknown};
use napi::{sys, Env};

use crate::raw_js::{check, Js, Value};

/// Returns the captured built-ins as one array. `isMap` is a brand check (the
/// `size` getter throws for anything but a real Map, whatever its prototype);
/// the array literal creates its elements directly (no setter can see them).
const CAPTURE_SOURCE: &str = "(function captureIntrinsics() {\
  'use strict';\
  const apply = Reflect.apply;\
  const size = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;\
  function isMap(value) { try { apply(size, value, []); return true; } catch { return false; } }\
  const mapIterator = new Map().entries();\
  return [Object.prototype, JSON.parse, isMap, Map.prototype.entries, Object.getPrototypeOf(mapIterator).next];\
})()";

/// Which captured value.
#[derive(Clone, Copy)]
pub enum Intrinsic {
    ObjectPrototype = 0,
    JsonParse = 1,
    IsMap = 2,
    MapEntries = 3,
    MapIteratorNext = 4,
}

const COUNT: usize = 5;

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
    let captured: Unknown = env.run_script(CAPTURE_SOURCE)?;
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

/// True iff `value` is a real Map (of any realm, whatever its prototype says).
pub fn is_map(js: Js, value: Value) -> napi::Result<bool> {
    let is_map = get(js, Intrinsic::IsMap)?;
    let answer = js.call(is_map, js.undefined()?, &[value])?;
    js.boolean(answer)
}

/// `JSON.parse(text)` with the JSON.parse of module load.
pub fn parse_json(js: Js, text: &str) -> napi::Result<Value> {
    let parse = get(js, Intrinsic::JsonParse)?;
    let text = js.string(text)?;
    js.call(parse, js.undefined()?, &[text])
}
