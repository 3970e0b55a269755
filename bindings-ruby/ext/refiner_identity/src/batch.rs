//! Arrays of user ids for `sign_many`. Every id is copied out of Ruby memory
//! first, with the GVL held, so the batch is fixed whatever other threads do
//! while it is hashed (by `pipeline.rs`). An interrupt (Timeout, Ctrl-C) is
//! noticed every `CHECK_EVERY` ids while copying; only then can Ruby code run
//! in the middle of the copy.

use std::os::raw::c_long;

use magnus::rb_sys::{protect, AsRawValue, FromRawValue};
use magnus::{Error, RArray, Ruby, Value};
use refiner_identity::{UserId, UserIdBatch};

use crate::convert::with_user_id;
use crate::error::to_ruby;

/// Ids copied between two looks at the thread's interrupt flags.
const CHECK_EVERY: usize = 32 * 1024;
/// Bytes copied between two looks, so that long ids are checked as often.
const CHECK_BYTES: usize = 4 << 20;

/// Copies `array`'s ids into one batch, checking each (type, then content) in
/// order: the error names the first bad index, whatever its problem.
///
/// When Ruby has an exception or a signal to deliver meanwhile, the interrupt
/// runs; if it raises nothing (a signal handler that returns), the copy goes on
/// where it was (starting over could never end under a stream of signals), in
/// the Array as it was when the call began (duplicated before Ruby code runs).
pub fn read_batch(ruby: &Ruby, array: RArray) -> Result<UserIdBatch, Error> {
    let mut array = array;
    let mut duplicated = false;
    let mut batch = UserIdBatch::with_capacity(array.len());
    let mut since_check = (0, 0);
    let mut index = 0;
    // `len` is read each time although nothing here runs Ruby code that could change it.
    while index < array.len() {
        let value = element(array, index);
        let bytes = push(ruby, &mut batch, value, index)?;
        index += 1;
        since_check = (since_check.0 + 1, since_check.1 + bytes);
        if since_check.0 == CHECK_EVERY || since_check.1 >= CHECK_BYTES {
            since_check = (0, 0);
            if interrupt_pending() {
                if !duplicated {
                    // The handler (or a thread run meanwhile) may change the Array, not this copy.
                    array = duplicate(array)?;
                    duplicated = true;
                }
                ruby.thread_check_ints()?;
            }
        }
    }
    Ok(batch)
}

/// A plain Array with `array`'s elements (rb_ary_subseq: C, no method dispatch,
/// shares the elements' buffer until either Array changes).
fn duplicate(array: RArray) -> Result<RArray, Error> {
    // SAFETY: a C call on a live Array; `protect` catches a NoMemoryError, over
    // nothing to drop. The result stays on this stack (the GC sees it) while read.
    let copy = protect(|| unsafe { rb_sys::rb_ary_subseq(array.as_raw(), 0, array.len() as c_long) })?;
    Ok(RArray::from_value(unsafe { Value::from_raw(copy) }).unwrap_or(array))
}

/// A `Thread#raise` or a signal is waiting for this thread (the time-slice
/// timer does not count: it would restart a long copy forever).
fn interrupt_pending() -> bool {
    // SAFETY: reads the current thread's interrupt flags; no Ruby code runs.
    unsafe { rb_sys::rb_thread_interrupted(rb_sys::rb_thread_current()) != 0 }
}

fn element(array: RArray, index: usize) -> Value {
    // SAFETY: rb_ary_entry is a C read (nil past the end), no method dispatch,
    // so Array subclasses overriding `[]` or `each` change nothing; `index`
    // is below the length, which fits a c_long.
    unsafe { Value::from_raw(rb_sys::rb_ary_entry(array.as_raw(), index as c_long)) }
}

/// Adds one id; returns the bytes it added.
fn push(ruby: &Ruby, batch: &mut UserIdBatch, value: Value, index: usize) -> Result<usize, Error> {
    let pushed = with_user_id(ruby, value, &|| format!("user_ids[{index}]"), |user_id| {
        user_id.check().map_err(|e| e.at_index(index))?;
        Ok(match user_id {
            UserId::Bytes(bytes) => {
                batch.push_bytes(bytes);
                bytes.len()
            }
            UserId::Text(text) => {
                batch.push_bytes(text.as_bytes());
                text.len()
            }
            UserId::Integer(value) => {
                batch.push_integer(value);
                0
            }
            UserId::BigInteger(decimal) => {
                batch.push_big_integer(decimal);
                decimal.len()
            }
        })
    })?;
    pushed.map_err(|e| to_ruby(ruby, e))
}
