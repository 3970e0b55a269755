//! Python `int` (or subclass) to the core's integer ids, reading the value the
//! object holds through the C API and `int`'s own methods. Never a method looked
//! up on the object: a subclass can override every operator, `__index__`,
//! `__str__` or `to_bytes`, and the signature must not change. Any size, without
//! `str()` and so without `sys.set_int_max_str_digits`.

use std::os::raw::c_int;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyInt};
use pyo3::{ffi, intern};
use refiner_identity::IntegerId;

/// `int.bit_length` and `int.to_bytes`, taken from the `int` type itself (its
/// attributes cannot be reassigned), so a subclass's overrides are never called.
struct IntMethods {
    bit_length: Py<PyAny>,
    to_bytes: Py<PyAny>,
}

static INT_METHODS: PyOnceLock<IntMethods> = PyOnceLock::new();

/// Magnitudes of at least this many bytes are formatted without the GIL.
const DETACH_FROM_BYTES: usize = 4096;

/// The integer id `int` holds (the core formats one outside `i128` in decimal).
pub fn hold_integer(int: &Bound<'_, PyInt>) -> PyResult<IntegerId> {
    let mut overflow: c_int = 0;
    // SAFETY: `int` is a live int object (exact or subclass) and the GIL is held.
    // For such objects this reads the stored value directly: no `__index__` call.
    let value = unsafe { ffi::PyLong_AsLongLongAndOverflow(int.as_ptr(), &mut overflow) };
    if overflow == 0 {
        if value == -1 {
            if let Some(error) = PyErr::take(int.py()) {
                return Err(error);
            }
        }
        return Ok(IntegerId::Small(i128::from(value)));
    }
    hold_large(int)
}

fn hold_large(int: &Bound<'_, PyInt>) -> PyResult<IntegerId> {
    let py = int.py();
    let methods = INT_METHODS.get_or_try_init(py, || -> PyResult<IntMethods> {
        let int_type = py.get_type::<PyInt>();
        Ok(IntMethods {
            bit_length: int_type.getattr("bit_length")?.unbind(),
            to_bytes: int_type.getattr("to_bytes")?.unbind(),
        })
    })?;
    let bits: usize = methods.bit_length.bind(py).call1((int,))?.extract()?;
    // One byte more than the magnitude needs leaves room for the sign bit.
    let length = bits / 8 + 1;
    let keywords = PyDict::new(py);
    keywords.set_item(intern!(py, "signed"), true)?;
    let bytes = methods.to_bytes.bind(py).call((int, length, intern!(py, "little")), Some(&keywords))?;
    let bytes = bytes.cast_into::<PyBytes>()?;
    let twos_complement = bytes.as_bytes();
    if twos_complement.len() >= DETACH_FROM_BYTES {
        // `bytes` is immutable and referenced by us for the whole call.
        Ok(py.detach(|| IntegerId::from_twos_complement_le(twos_complement)))
    } else {
        Ok(IntegerId::from_twos_complement_le(twos_complement))
    }
}
