//! A JavaScript array of user ids (a real array, a subclass or an array
//! Proxy) read into the core's owned batch: its length once, then each element
//! exactly once, in order, each checked as it is read, so the first bad element
//! (by index, whatever its problem) is the one reported (SPEC.md section 10).
//!
//! Runs of non-empty strings go through the `readStrings` helper (one call per
//! segment of up to 16,384 ids, their UTF-8 read in one napi call); the element
//! that ends a run, and the ones after it, are read here with `napi_get_element`
//! until strings come in a row again.

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
/// Strings in a row, read here one by one, after which the helper takes over.
const STRINGS_BEFORE_HELPER: u32 = 8;

/// Reads `user_ids` (a JavaScript array) into a batch.
pub fn read_batch(env: &Env, user_ids: &Unknown<'_>) -> Result<UserIdBatch, Failure> {
    let started = call(env, Helper::StartBatch, &[user_ids.raw()])?;
    // SAFETY: a live value of this env, returned by the helper: undefined,
    // [length] or [length, lengths, segment], an array literal of its own, so
    // reading its elements runs no user code.
    let (len, lengths, segment) = unsafe {
        if Unknown::from_raw_unchecked(env.raw(), started).get_type()? == ValueType::Undefined {
            return Err(Failure::WrongType(format!(
                "userIds must be an array; received {}",
                describe_type(user_ids.get_type()?)
            )));
        }
        if array_len(env, started)? < 3 {
            return Err(Failure::WrongType("userIds.length is not a valid array length".into()));
        }
        (element(env, started, 0)?.cast::<u32>()?, element(env, started, 1)?.raw(), element(env, started, 2)?.raw())
    };
    let mut reader = Reader {
        env,
        ids: user_ids.raw(),
        len,
        index: 0,
        batch: UserIdBatch::with_capacity((len as usize).min(MAX_PRESIZE)),
        lengths,
        capacity: len.min(SEGMENT_IDS),
        utf8: Vec::new(),
        inline: [0; INLINE_TEXT],
    };
    // After a segment that a non-string (or an empty or long string) ended,
    // the next elements are read here; after a full segment, by the helper.
    let mut strings_next = !reader.take_segment(segment)?;
    while reader.index < len {
        let _scope = ChunkScope::open(env.raw())?;
        strings_next = if strings_next { !reader.read_strings()? } else { reader.read_others().map(|()| true)? };
    }
    Ok(reader.batch)
}

/// The length of `value` if it is an array (`Array.isArray`, so an array
/// Proxy too), read once; a `TypeError` naming `what` otherwise.
pub fn array_length(env: &Env, value: &Unknown<'_>, what: &str) -> Result<u32, Failure> {
    let length = call(env, Helper::LengthOf, &[value.raw()])?;
    // SAFETY: a live value of this env, returned by the helper.
    let length = unsafe { Unknown::from_raw_unchecked(env.raw(), length) };
    let invalid = || Failure::WrongType(format!("{what}.length is not a valid array length"));
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
                Err(invalid())
            }
        }
        _ => Err(invalid()),
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

/// The length of one of the helpers' own array literals.
fn array_len(env: &Env, array: sys::napi_value) -> Result<u32, Failure> {
    let mut len = 0u32;
    // SAFETY: `array` is an array of this env, made by a helper.
    check(unsafe { sys::napi_get_array_length(env.raw(), array, &mut len) })?;
    Ok(len)
}

struct Reader<'e> {
    env: &'e Env,
    ids: sys::napi_value,
    len: u32,
    index: u32,
    batch: UserIdBatch,
    /// The `Uint32Array(capacity)` the helper writes string lengths into.
    lengths: sys::napi_value,
    capacity: u32,
    utf8: Vec<u8>,
    inline: [u8; INLINE_TEXT],
}

impl Reader<'_> {
    /// One more `readStrings` segment from `index`; true if an element ended it.
    fn read_strings(&mut self) -> Result<bool, Failure> {
        let env = self.env;
        let args = [
            self.ids,
            env.create_uint32(self.index)?.raw(),
            env.create_uint32(self.len)?.raw(),
            self.lengths,
            env.create_uint32(self.capacity)?.raw(),
        ];
        let segment = call(env, Helper::ReadStrings, &args)?;
        self.take_segment(segment)
    }

    /// Adds a segment's strings ([next, joined] or [next, joined, stopper]),
    /// then the element that ended it, if any (the answer).
    fn take_segment(&mut self, segment: sys::napi_value) -> Result<bool, Failure> {
        let env = self.env;
        let start = self.index;
        let parts = array_len(env, segment)?;
        // SAFETY: reading the helper's own array literal runs no user code; its
        // first element is a number.
        let next = unsafe { element(env, segment, 0)?.cast::<u32>() }?;
        if next < start || next > self.len || next - start > self.capacity {
            return Err(internal("readStrings returned an index out of range"));
        }
        if next > start {
            let joined = element(env, segment, 1)?;
            // SAFETY: the helper's own Uint32Array, made by `startBatch`.
            let lengths = unsafe { Uint32ArraySlice::from_napi_value(env.raw(), self.lengths) }?;
            self.utf8.clear();
            read_utf8_into(&joined, &mut self.utf8)?;
            push_joined(&mut self.batch, &self.utf8, &lengths[..(next - start) as usize])
                .map_err(|_| internal("joined strings and their lengths disagree"))?;
        }
        self.index = next;
        if parts < 3 {
            return Ok(false);
        }
        let stopper = element(env, segment, 2)?;
        self.push(stopper)?;
        Ok(true)
    }

    /// Elements read here, until strings come in a row or CHUNK have been read.
    fn read_others(&mut self) -> Result<(), Failure> {
        let stop = self.len.min(self.index.saturating_add(CHUNK));
        let mut strings_in_a_row = 0;
        while self.index < stop && strings_in_a_row < STRINGS_BEFORE_HELPER {
            let value = element(self.env, self.ids, self.index)?;
            strings_in_a_row = if value.get_type()? == ValueType::String { strings_in_a_row + 1 } else { 0 };
            self.push(value)?;
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
        if let Some(id) = self.batch.get(self.batch.len().wrapping_sub(1)) {
            id.check().map_err(|error| error.at_index(index as usize))?;
        }
        self.index += 1;
        Ok(())
    }
}

fn internal(what: &str) -> Failure {
    Failure::Napi(napi::Error::from_reason(format!("refiner-identity: internal error (a bug): {what}")))
}
