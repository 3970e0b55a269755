//! Integer user ids through the C API only: a Fixnum is read as a machine
//! integer, a Bignum is written in decimal by `rb_big2str`. No Ruby method is
//! called, so patching `Integer#to_s`, `inspect`, `digits` or any operator
//! cannot change what gets signed.

use magnus::rb_sys::{protect, AsRawValue, FromRawValue};
use magnus::{Error, Fixnum, RBignum, RString, Ruby, Value};

/// An Integer as the core takes it.
pub enum IntegerId {
    /// Fits i128 (every Fixnum, and Bignums up to 39 digits).
    Small(i128),
    /// Canonical decimal of a larger Bignum (the core checks it again).
    Big(String),
}

/// `None` when `value` is not an Integer; `Some(Err)` only if Ruby fails to
/// allocate the decimal text (NoMemoryError).
pub fn read_integer(ruby: &Ruby, value: Value) -> Option<Result<IntegerId, Error>> {
    if let Some(fixnum) = Fixnum::from_value(value) {
        return Some(Ok(IntegerId::Small(i128::from(fixnum.to_i64()))));
    }
    let bignum = RBignum::from_value(value)?;
    Some(bignum_decimal(ruby, bignum).map(|decimal| match decimal.parse::<i128>() {
        Ok(small) => IntegerId::Small(small),
        Err(_) => IntegerId::Big(decimal),
    }))
}

fn bignum_decimal(ruby: &Ruby, bignum: RBignum) -> Result<String, Error> {
    // SAFETY: rb_big2str takes any Bignum and returns a new String, or raises
    // (caught by `protect`); it is C code, no method dispatch.
    let raw = protect(|| unsafe { rb_sys::rb_big2str(bignum.as_raw(), 10) })?;
    // SAFETY: `raw` is the live String rb_big2str just returned.
    let text = RString::from_value(unsafe { Value::from_raw(raw) });
    // SAFETY: the bytes are copied before any other Ruby call.
    let decimal = text.map(|text| unsafe { text.as_slice() }.to_vec()).and_then(|bytes| String::from_utf8(bytes).ok());
    decimal.ok_or_else(|| {
        Error::new(ruby.exception_runtime_error(), "refiner_identity: rb_big2str returned no decimal text")
    })
}
