//! Integer user ids through the C API only: a Fixnum is read as a machine
//! integer, a Bignum's absolute value is exported by `rb_integer_pack` and
//! formatted by the core (`IntegerId`). No Ruby method is called, so patching
//! `Integer#to_s`, `inspect`, `digits` or any operator cannot change what gets signed.

use magnus::rb_sys::AsRawValue;
use magnus::{Error, Fixnum, RBignum, Ruby, Value};
pub use refiner_identity::IntegerId;

/// `None` when `value` is not an Integer. (`Some(Err)` is kept for a failure
/// to read a Bignum; exporting one's bytes cannot fail today.)
pub fn read_integer(_ruby: &Ruby, value: Value) -> Option<Result<IntegerId, Error>> {
    if let Some(fixnum) = Fixnum::from_value(value) {
        return Some(Ok(IntegerId::Small(i128::from(fixnum.to_i64()))));
    }
    let bignum = RBignum::from_value(value)?;
    Some(Ok(bignum_id(bignum)))
}

fn bignum_id(bignum: RBignum) -> IntegerId {
    let raw = bignum.as_raw();
    // SAFETY: `raw` is a live Bignum; rb_absint_size reads its length (C code,
    // no method dispatch, never raises).
    let size = unsafe { rb_sys::rb_absint_size(raw, std::ptr::null_mut()) };
    // A size past `usize` cannot be held in memory: Ruby could not have made that Bignum.
    let mut magnitude = vec![0u8; usize::try_from(size).unwrap_or(usize::MAX).max(1)];
    // SAFETY: `magnitude` has room for `magnitude.len()` one-byte words. For an
    // Integer, rb_integer_pack copies the absolute value without calling any
    // method and never raises; it returns the sign (-1, 0, 1; 2/-2 cannot
    // happen with room for every byte).
    let sign = unsafe {
        rb_sys::rb_integer_pack(
            raw,
            magnitude.as_mut_ptr().cast(),
            magnitude.len() as rb_sys::size_t,
            1,
            0,
            rb_sys::INTEGER_PACK_LITTLE_ENDIAN as i32,
        )
    };
    IntegerId::from_magnitude_le(sign < 0, &magnitude)
}
