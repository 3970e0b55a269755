//! The load-time check behind fast.rs: its raw `Signer.prototype.sign` finds
//! the `Signer` of `this` with `napi_unwrap`, which relies on napi-rs wrapping
//! a pointer to the struct itself in every instance. napi-rs does not promise
//! that layout, so Cargo.toml pins the napi versions, and at every load (each
//! worker too) this module checks it without dereferencing anything: for an
//! instance made by the JavaScript constructor, the pointer fast.rs would use
//! must be the very `&self` napi-rs's own method glue passes. Otherwise
//! `require` throws instead of the raw path ever reading a wrong type.

use napi::bindgen_prelude::{JsObjectValue, JsValue, Object, This, Unknown};
use napi::{sys, Env};
use napi_derive::napi;

use crate::js_helpers::check;
use crate::signer::Signer;

/// The hidden method's name; deleted from the prototype before user code runs.
const CHECK_METHOD: &str = "__refinerIdentityLayoutCheck";

#[napi]
impl Signer {
    /// True iff fast.rs's receiver lookup finds exactly this `Signer`.
    #[napi(js_name = "__refinerIdentityLayoutCheck", skip_typescript)]
    pub fn layout_check(&self, env: Env, this: This) -> bool {
        // SAFETY: `this` is the live receiver of this call, a value of `env`;
        // the pointer is only compared, never read.
        let found = unsafe { crate::fast::receiver_pointer(env.raw(), this.object.raw()) };
        found.is_some_and(|found| std::ptr::eq(found, self))
    }
}

/// Runs the check on a fresh `new Signer(...)`, then removes the method.
pub fn verify(env: &Env, class: &Object, prototype: &mut Object) -> napi::Result<()> {
    let method: Unknown = prototype.get_named_property(CHECK_METHOD)?;
    let deleted = prototype.delete_named_property(CHECK_METHOD)?;
    let key = env.create_string("layout-check-key")?;
    let (mut instance, mut answer, mut passed) = (std::ptr::null_mut(), std::ptr::null_mut(), false);
    // SAFETY: `class` is the Signer constructor and `method` the function read
    // above, both live values of `env`; the argument arrays outlive the calls.
    unsafe {
        check(sys::napi_new_instance(env.raw(), class.raw(), 1, [key.raw()].as_ptr(), &mut instance))?;
        check(sys::napi_call_function(env.raw(), instance, method.raw(), 0, std::ptr::null(), &mut answer))?;
        check(sys::napi_get_value_bool(env.raw(), answer, &mut passed))?;
    }
    if deleted && passed {
        Ok(())
    } else {
        Err(napi::Error::from_reason(
            "refiner-identity: this build's napi-rs does not wrap a Signer the way the fast sign path reads it; \
             build with the napi and napi-derive versions pinned in bindings-node/Cargo.toml",
        ))
    }
}
