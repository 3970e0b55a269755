//! Integer user ids through the C API only: a Fixnum is read as a machine
//! integer, a Bignum's decimal comes from `rb_big2str` (the C function behind
//! `Integer#to_s`, subquadratic, no method dispatch) and is checked canonical
//! by the core. No Ruby method is called, so patching `Integer#to_s`,
//! `inspect`, `digits` or any operator cannot change what gets signed.

use magnus::rb_sys::{protect, AsRawValue, FromRawValue};
use magnus::{Error, Fixnum, RBignum, RString, Ruby, Value};
pub use refiner_identity::IntegerId;

/// `None` when `value` is not an Integer; `Some(Err)` when Ruby could not
/// format a Bignum (NoMemoryError).
pub fn read_integer(_ruby: &Ruby, value: Value) -> Option<Result<IntegerId, Error>> {
    if let Some(fixnum) = Fixnum::from_value(value) {
        return Some(Ok(IntegerId::Small(i128::from(fixnum.to_i64()))));
    }
    let bignum = RBignum::from_value(value)?;
    Some(bignum_id(bignum))
}

fn bignum_id(bignum: RBignum) -> Result<IntegerId, Error> {
    // SAFETY: `bignum` is a live Bignum; rb_big2str is C code that calls no
    // method. It can raise (out of memory): `protect` turns that into Err, over
    // nothing to drop.
    let decimal = protect(|| unsafe { rb_sys::rb_big2str(bignum.as_raw(), 10) })?;
    // SAFETY: a fresh String on this stack (so the GC keeps it), copied at once.
    let bytes =
        RString::from_value(unsafe { Value::from_raw(decimal) }).map(|text| unsafe { text.as_slice() }.to_vec());
    // ASCII digits; were it anything else, the core's canonical-decimal check refuses it.
    Ok(IntegerId::Big(String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned()))
}
