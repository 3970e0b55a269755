//! Faster entry points for the single-identity renderers, put on
//! `Signer.prototype` at load in place of render.rs's `#[napi]` methods (which
//! remain the source of index.d.ts): a JavaScript method per renderer calls
//! identity_reader.js itself and hands its result to one raw N-API function,
//! so a call pays neither napi-rs's per-call glue nor a call from Rust into
//! JavaScript (together most of a renderer's time on a short identity).

use std::panic::{catch_unwind, AssertUnwindSafe};

use napi::bindgen_prelude::{JsObjectValue, JsValue, Object, Unknown};
use napi::{sys, Env};
use refiner_identity::SurveyUrl;

use crate::error::Failure;
use crate::identity_reader::Reader;
use crate::intrinsics::{self, Intrinsic};
use crate::raw_js::{check, Js, Kind, Value};
use crate::render::{read_url, with_store, Op};

/// The methods, made from the reader, JSON.parse (both captured at load) and
/// the raw render function; `this` goes to the raw function, which refuses
/// anything but a real `Signer`.
fn methods_source() -> String {
    let methods: Vec<String> = Op::ALL
        .iter()
        .map(|&op| {
            let (parameters, url) = if op == Op::SurveyLink { ("url, identity", ", url") } else { ("identity", "") };
            let call = format!("render(this, {}, r[0], r[1], r[2]{url})", op as u32);
            let result = if op.returns_json() { format!("parse({call})") } else { call };
            format!(
                "{name}({parameters}) {{ const r = read(identity, {keys}); return {result}; }}",
                name = op.js_name(),
                keys = op.keys() as u32
            )
        })
        .collect();
    format!("(function makeRenderers(read, parse, render) {{ 'use strict'; return {{ {} }}; }})", methods.join(", "))
}

/// Replaces the renderers on `Signer.prototype` with the faster methods.
pub fn install(env: &Env, prototype: &mut Object) -> napi::Result<()> {
    let js = Js { env: env.raw() };
    let factory: Unknown = env.run_script(methods_source())?;
    let mut render = std::ptr::null_mut();
    let name = "render";
    // SAFETY: `name` outlives the call; the callback has the napi signature.
    check(unsafe {
        sys::napi_create_function(
            env.raw(),
            name.as_ptr().cast(),
            name.len() as isize,
            Some(raw_render),
            std::ptr::null_mut(),
            &mut render,
        )
    })?;
    let arguments = [intrinsics::get(js, Intrinsic::ReadIdentity)?, intrinsics::get(js, Intrinsic::JsonParse)?, render];
    let methods = js.call(factory.raw(), js.undefined()?, &arguments)?;
    for op in Op::ALL {
        let mut method = std::ptr::null_mut();
        let name = std::ffi::CString::new(op.js_name()).map_err(|_| napi::Error::from_reason("bad method name"))?;
        // SAFETY: `methods` is the live object the factory returned; its own data properties are read.
        check(unsafe { sys::napi_get_named_property(env.raw(), methods, name.as_ptr(), &mut method) })?;
        // SAFETY: a live value of this env.
        prototype.set_named_property(op.js_name(), unsafe { Unknown::from_raw_unchecked(env.raw(), method) })?;
    }
    Ok(())
}

/// `render(signer, op, text, codes, id, url?)`, called only by the methods above.
///
/// # Safety
/// Only N-API calls it, as the callback of the function `install` made.
unsafe extern "C" fn raw_render(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let wrapped = Env::from_raw(env);
    // SAFETY: called by N-API with this callback's env and info.
    match catch_unwind(AssertUnwindSafe(|| unsafe { render_call(env, info) })) {
        Ok(Ok(value)) => value,
        Ok(Err(failure)) => {
            failure.throw(&wrapped);
            std::ptr::null_mut()
        }
        Err(_) => {
            let _ = wrapped.throw_error("refiner-identity: internal error (a bug)", None);
            std::ptr::null_mut()
        }
    }
}

/// # Safety
/// `env` and `info` must be those of the callback being run.
unsafe fn render_call(env: sys::napi_env, info: sys::napi_callback_info) -> Result<Value, Failure> {
    let js = Js { env };
    let mut count = 6;
    let mut arguments: [Value; 6] = [std::ptr::null_mut(); 6];
    // SAFETY: room for `count` values; napi fills missing ones with undefined.
    check(unsafe {
        sys::napi_get_cb_info(env, info, &mut count, arguments.as_mut_ptr(), std::ptr::null_mut(), std::ptr::null_mut())
    })?;
    let [this, op, text, codes, id, url] = arguments;
    let op = *Op::ALL.get(js.get_u32(op)? as usize).ok_or_else(|| Failure::WrongType("unknown renderer".into()))?;
    // Only an object is asked for its tag (napi's check throws on a primitive).
    let is_object = js.kind(this)? == Kind::Object;
    // SAFETY: `this` is a live value of `env`; the reference is used only in this call.
    let signer = is_object.then(|| unsafe { crate::fast::receiver(env, this) }).flatten().ok_or_else(|| {
        Failure::WrongType(format!("Signer.prototype.{} called on something that is not a Signer", op.js_name()))
    })?;
    let render = |url: Option<&SurveyUrl<'_>>| {
        with_store(|store| {
            Reader::new(js, store).decode(text, codes, id, op.keys(), &|| "identity".into())?;
            op.render(signer.core(), store, url)
        })
    };
    let rendered = if op == Op::SurveyLink {
        // A repeated URL is not checked again (the core keeps the thread's last one).
        SurveyUrl::with_parsed(&read_url(js, url)?, |url| render(Some(url)))??
    } else {
        render(None)?
    };
    Ok(js.string(&rendered)?)
}
