//! A JavaScript array of user ids (a real array, a subclass or an array
//! Proxy) read into the core's owned batch: each element is read exactly
//! once, in order, and checked as it is read, so the first bad element (by
//! index, whatever its problem) is the one reported (SPEC.md section 10).
//!
//! Runs of non-empty strings go through the `readStrings` helper (one call per
//! segment of up to 16,384 ids, their UTF-8 read in one napi call); any other
//! element is read here with `napi_get_element`, and then elements are read
//! here until the next string.

use napi::bindgen_prelude::{FromNapiValue, JsValue, Uint32ArraySlice, Unknown, ValueType};
use napi::{sys, Env};
use refiner_identity::UserIdBatch;

use crate::error::Failure;
use crate::joined::push_joined;
use crate::js_helpers::{call, check, Helper, SEGMENT_IDS};
use crate::scope::{ChunkScope, CHUNK};
use crate::text::{read_utf8_inline, read_utf8_into, INLINE_TEXT};
use crate::user_id::{classify, describe_type, Classified};

/// Entries reserved up front at most: a sparse array's length says nothing
/// about how many ids it holds.
const MAX_PRESIZE: usize = 1 << 20;

/// Reads `user_ids` (a JavaScript array) into a batch.
pub fn read_batch(env: &Env, user_ids: &Unknown<'_>) -> Result<UserIdBatch, Failure> {
    let len = array_length(env, user_ids, "userIds")?;
    let mut reader = Reader::new(env, user_ids.raw(), len)?;
    while reader.index < len {
        let _scope = ChunkScope::open(env.raw())?;
        reader.read_strings()?;
        reader.read_others()?;
    }
    Ok(reader.batch)
}

/// The length of `value` if it is an array (`Array.isArray`, so an array
/// Proxy too), read once; a `TypeError` naming `what` otherwise.
pub fn array_length(env: &Env, value: &Unknown<'_>, what: &str) -> Result<u32, Failure> {
    let length = call(env, Helper::LengthOf, &[value.raw()])?;
    // SAFETY: a live value of this env, returned by the helper.
    let length = unsafe { Unknown::from_raw_unchecked(env.raw(), length) };
    match length.get_type()? {
        ValueType::Undefined => {
            Err(Failure::WrongType(format!("{what} must be an array; received {}", describe_type(value.get_type()?))))
        }
        ValueType::Number => {
            // SAFETY: a number, as checked just above, converts to f64.
            let length = unsafe { length.cast::<f64>() }?;
            // A real array's length always fits; a Proxy's `length` trap may say anything.
            if length >= 0.0 && length <= f64::from(u32::MAX) && length.trunc() == length {
                Ok(length as u32)
            } else {
                Err(Failure::WrongType(format!("{what}.length is not a valid array length")))
            }
        }
        _ => Err(Failure::WrongType(format!("{what}.length is not a valid array length"))),
    }
}

/// Reads one element (`array[index]`, getters and Proxy traps run once).
pub fn element<'a>(env: &'a Env, array: sys::napi_value, index: u32) -> Result<Unknown<'a>, Failure> {
    let mut value = std::ptr::null_mut();
    // SAFETY: `array` is a live object of this env (callers checked it is an array).
    check(unsafe { sys::napi_get_element(env.raw(), array, index, &mut value) })?;
    // SAFETY: napi returned a live value of this env.
    Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), value) })
}

struct Reader<'e> {
    env: &'e Env,
    ids: sys::napi_value,
    len: u32,
    index: u32,
    batch: UserIdBatch,
    /// A `Uint32Array(SEGMENT_IDS)` the helper writes string lengths into.
    lengths: sys::napi_value,
    utf8: Vec<u8>,
    inline: [u8; INLINE_TEXT],
}

impl<'e> Reader<'e> {
    fn new(env: &'e Env, ids: sys::napi_value, len: u32) -> Result<Self, Failure> {
        let (mut data, mut buffer, mut lengths) = (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: out-pointers are locals; the typed array spans the whole new buffer.
        unsafe {
            check(sys::napi_create_arraybuffer(env.raw(), SEGMENT_IDS * 4, &mut data, &mut buffer))?;
            check(sys::napi_create_typedarray(
                env.raw(),
                sys::TypedarrayType::uint32_array,
                SEGMENT_IDS,
                buffer,
                0,
                &mut lengths,
            ))?;
        }
        Ok(Reader {
            env,
            ids,
            len,
            index: 0,
            batch: UserIdBatch::with_capacity((len as usize).min(MAX_PRESIZE)),
            lengths,
            utf8: Vec::new(),
            inline: [0; INLINE_TEXT],
        })
    }

    /// One `readStrings` segment from `index`, plus the element that ended it.
    fn read_strings(&mut self) -> Result<(), Failure> {
        let env = self.env;
        let start = self.index;
        let args = [self.ids, env.create_uint32(start)?.raw(), env.create_uint32(self.len)?.raw(), self.lengths];
        let segment = call(env, Helper::ReadStrings, &args)?;
        let mut parts = 0u32;
        // SAFETY: the helper returns an array literal of its own: [next, joined] or
        // [next, joined, stopper]; reading its elements runs no user code.
        let (next, joined, stopper) = unsafe {
            check(sys::napi_get_array_length(env.raw(), segment, &mut parts))?;
            let next = element(env, segment, 0)?.cast::<u32>()?;
            let joined = element(env, segment, 1)?;
            let stopper = if parts == 3 { Some(element(env, segment, 2)?) } else { None };
            (next, joined, stopper)
        };
        if next < start || next > self.len {
            return Err(internal("readStrings returned an index out of range"));
        }
        if next > start {
            // SAFETY: the helper's own Uint32Array, created in `new`.
            let lengths = unsafe { Uint32ArraySlice::from_napi_value(env.raw(), self.lengths) }?;
            self.utf8.clear();
            read_utf8_into(&joined, &mut self.utf8)?;
            let count = (next - start) as usize;
            push_joined(&mut self.batch, &self.utf8, &lengths[..count])
                .map_err(|_| internal("joined strings and their lengths disagree"))?;
        }
        self.index = next;
        if let Some(value) = stopper {
            self.push(value)?;
        }
        Ok(())
    }

    /// Elements read here, up to the next string (included) or CHUNK of them.
    fn read_others(&mut self) -> Result<(), Failure> {
        let stop = self.len.min(self.index.saturating_add(CHUNK));
        while self.index < stop {
            let value = element(self.env, self.ids, self.index)?;
            let is_string = value.get_type()? == ValueType::String;
            self.push(value)?;
            if is_string {
                break;
            }
        }
        Ok(())
    }

    /// Converts and checks the element at `index` (read already), then moves on.
    fn push(&mut self, value: Unknown<'_>) -> Result<(), Failure> {
        let index = self.index;
        match classify(value, &|| format!("userIds[{index}]"))? {
            Classified::Text(text) => match read_utf8_inline(&text, &mut self.inline)? {
                Some(len) => self.batch.push_bytes(&self.inline[..len]),
                None => self.batch.push_bytes_with(|buffer| read_utf8_into(&text, buffer))?,
            },
            Classified::Bytes(bytes) => self.batch.push_bytes(bytes.as_ref()),
            Classified::Integer(value) => self.batch.push_integer(value),
            Classified::BigInteger(decimal) => self.batch.push_big_integer(&decimal),
        }
        let last = self.batch.len() - 1;
        if let Some(id) = self.batch.get(last) {
            id.check().map_err(|error| error.at_index(index as usize))?;
        }
        self.index += 1;
        Ok(())
    }
}

fn internal(what: &str) -> Failure {
    Failure::Napi(napi::Error::from_reason(format!("refiner-identity: internal error (a bug): {what}")))
}
