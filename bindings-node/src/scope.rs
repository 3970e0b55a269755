//! Handle scopes per chunk of a batch, so a million-id batch does not keep a
//! million handles alive for V8's collector to rescan.

use napi::sys;

/// Ids per handle scope.
pub const CHUNK: u32 = 1024;

/// An open napi handle scope, closed on drop.
pub struct ChunkScope {
    env: sys::napi_env,
    scope: sys::napi_handle_scope,
}

impl ChunkScope {
    pub fn open(env: sys::napi_env) -> napi::Result<Self> {
        let mut scope = std::ptr::null_mut();
        // SAFETY: `env` is the live env of the current callback.
        let status = unsafe { sys::napi_open_handle_scope(env, &mut scope) };
        if status != sys::Status::napi_ok {
            return Err(napi::Error::new(napi::Status::from(status), "opening a handle scope failed"));
        }
        Ok(ChunkScope { env, scope })
    }
}

impl Drop for ChunkScope {
    fn drop(&mut self) {
        // SAFETY: scopes are closed in reverse order of opening (one at a time here).
        unsafe { sys::napi_close_handle_scope(self.env, self.scope) };
    }
}
