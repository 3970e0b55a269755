//! `Signer.sign_many` on the core's batch engine. Every element is read under
//! the GIL, once, and checked in order (type, then content: the error names
//! the lowest bad index). Hashing runs without the GIL on all cores; the
//! engine hands each signed chunk back to this thread, which takes the GIL to
//! turn it into str objects while the next chunk is hashed.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyList;
use refiner_identity::{Signature, Signer, UserId};

use crate::convert::{hold_user_id, HeldUserId};
use crate::error::to_py;

/// Ids per chunk handed back to Python: large enough to spread over the cores,
/// small enough that hashing and str creation overlap through the batch.
const CHUNK: usize = 1 << 15;

/// Why a batch stopped: a core error (bad id) or a Python error while building the result.
enum Stop {
    Core(refiner_identity::Error),
    Python(PyErr),
}

impl From<refiner_identity::Error> for Stop {
    fn from(error: refiner_identity::Error) -> Self {
        Stop::Core(error)
    }
}

pub fn sign_many<'py>(signer: &Signer, user_ids: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let py = user_ids.py();
    // Strong references for the whole call: the ids are borrowed while the GIL
    // is released, when another thread may empty the caller's list.
    let objects = user_ids.try_iter()?.collect::<PyResult<Vec<Bound<'py, PyAny>>>>()?;
    let held = objects
        .iter()
        .enumerate()
        .map(|(index, object)| {
            let held = hold_user_id(object, &|| format!("user_ids[{index}]"))?;
            held.as_user_id().check().map_err(|error| to_py(error.at_index(index)))?;
            Ok(held)
        })
        .collect::<PyResult<Vec<HeldUserId<'_>>>>()?;
    let ids: Vec<UserId<'_>> = held.iter().map(HeldUserId::as_user_id).collect();
    let result = new_list(py, ids.len())?;
    // The list travels to the emit callback as an owned reference (Send); it is
    // private to this call until returned, so nothing else sees its empty slots.
    let list = result.clone().unbind();
    let outcome = py.detach(|| {
        signer.sign_many_emit(&ids, CHUNK, |start, signatures| {
            Python::attach(|py| fill(list.bind(py), start, signatures)).map_err(Stop::Python)
        })
    });
    match outcome {
        Ok(()) => Ok(result),
        Err(Stop::Core(error)) => Err(to_py(error)),
        Err(Stop::Python(error)) => Err(error),
    }
}

/// A list of `len` empty slots, each set exactly once by `fill`.
fn new_list(py: Python<'_>, len: usize) -> PyResult<Bound<'_, PyList>> {
    let len = ffi::Py_ssize_t::try_from(len).map_err(|_| pyo3::exceptions::PyOverflowError::new_err("too many ids"))?;
    // SAFETY: the GIL is held; PyList_New returns a new reference or NULL with
    // an exception set. Slots start NULL, which the list's deallocator skips,
    // so dropping it after an error mid-way is safe.
    let raw = unsafe { ffi::PyList_New(len) };
    // SAFETY: `raw` is a new reference (or NULL, turned into the pending exception).
    unsafe { Bound::from_owned_ptr_or_err(py, raw) }.map(|list| {
        // SAFETY: PyList_New returned a list.
        unsafe { list.cast_into_unchecked::<PyList>() }
    })
}

/// Sets the slots `start..` of `list` to the signatures as str.
fn fill(list: &Bound<'_, PyList>, start: usize, signatures: &[Signature]) -> PyResult<()> {
    let py = list.py();
    for (offset, signature) in signatures.iter().enumerate() {
        let text = signature.as_str();
        // SAFETY: the GIL is held; `text` is 64 ASCII bytes. The result is a new
        // reference or NULL with an exception set.
        let string = unsafe { ffi::PyUnicode_FromStringAndSize(text.as_ptr().cast(), 64) };
        if string.is_null() {
            return Err(PyErr::fetch(py));
        }
        // `start + offset` is below the length the list was made with, which fits Py_ssize_t.
        let index = (start + offset) as ffi::Py_ssize_t;
        // SAFETY: `list` is a list of that length; PyList_SetItem steals `string`
        // and the slot is still NULL, so nothing is leaked.
        if unsafe { ffi::PyList_SetItem(list.as_ptr(), index, string) } != 0 {
            return Err(PyErr::fetch(py));
        }
    }
    Ok(())
}
