//! `Signer.sign_many` on the core's batch engine. Every element is read under
//! the GIL, once, and checked in order (type, then content: the error names
//! the lowest bad index). Hashing runs without the GIL on all cores; the
//! engine hands each signed chunk back to this thread, which takes the GIL to
//! turn it into str objects while the next chunk is hashed.

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyInt, PyList, PyMemoryView, PyString, PyTuple};
use pyo3::Borrowed;
use refiner_identity::{Signature, Signer, UserId};

use crate::convert::{hold_user_id, HeldUserId};
use crate::error::to_py;
use crate::failure::type_name;

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
    // One id is iterable too (characters, or byte values): refused, not signed piece by piece.
    if user_ids.is_instance_of::<PyString>()
        || user_ids.is_instance_of::<PyBytes>()
        || user_ids.is_instance_of::<PyByteArray>()
        || user_ids.is_instance_of::<PyMemoryView>()
    {
        return Err(PyTypeError::new_err(format!(
            "user_ids must be a list (or another iterable) of user ids, not {}; to sign one id, use \
             sign(user_id), or pass [user_id]",
            type_name(user_ids)
        )));
    }
    // A tuple snapshot holds a strong reference to every element for the whole
    // call: the ids are borrowed while the GIL is released, when another thread
    // may empty the caller's list.
    let snapshot = if user_ids.is_exact_instance_of::<PyList>() || user_ids.is_exact_instance_of::<PyTuple>() {
        // SAFETY: the GIL is held; for an exact list or tuple PySequence_Tuple
        // copies the item pointers in C (no method of the object is called) and
        // returns a new reference, or NULL with an exception set.
        let tuple = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PySequence_Tuple(user_ids.as_ptr())) }?;
        // SAFETY: PySequence_Tuple returned a tuple.
        unsafe { tuple.cast_into_unchecked::<PyTuple>() }
    } else {
        // Anything else is iterated (a list subclass's overridden indexing is never used).
        // A bytearray is copied as it is yielded: a generator may refill the same one
        // for the next id (readinto-style), which must not change this one.
        let elements = user_ids
            .try_iter()?
            .map(|element| {
                let element = element?;
                match element.cast::<PyByteArray>() {
                    Ok(bytes) => Ok(PyBytes::new(py, &bytes.to_vec()).into_any()),
                    Err(_) => Ok(element),
                }
            })
            .collect::<PyResult<Vec<Bound<'py, PyAny>>>>()?;
        PyTuple::new(py, elements)?
    };
    let objects: Vec<Borrowed<'_, 'py, PyAny>> = snapshot.iter_borrowed().collect();
    let held: Vec<HeldUserId<'_>>;
    let ids = match read_fast(&objects)? {
        Some(ids) => ids,
        None => {
            held = objects
                .iter()
                .enumerate()
                .map(|(index, object)| {
                    let held = hold_user_id(object, &|| format!("user_ids[{index}]"))?;
                    held.as_user_id().check().map_err(|error| to_py(error.at_index(index)))?;
                    Ok(held)
                })
                .collect::<PyResult<_>>()?;
            held.iter().map(HeldUserId::as_user_id).collect()
        }
    };
    let result = new_list(py, ids.len())?;
    // The list travels to the emit callback as an owned reference (Send). Other
    // threads run while the GIL is released between chunks, and gc.get_objects()
    // would hand them the list with NULL slots (reading one crashes): it stays
    // untracked, so invisible to the GC, until every slot is set.
    // SAFETY: the GIL is held and the list was just made (tracked by PyList_New).
    unsafe { ffi::PyObject_GC_UnTrack(result.as_ptr().cast()) };
    let list = result.clone().unbind();
    let outcome = py.detach(|| {
        signer.sign_many_emit(&ids, CHUNK, |start, signatures| {
            Python::attach(|py| fill(list.bind(py), start, signatures)).map_err(Stop::Python)
        })
    });
    match outcome {
        Ok(()) => {
            // SAFETY: the GIL is held; the list is untracked (above) and now full.
            // (Dropped untracked on an error: its deallocator allows that.)
            unsafe { ffi::PyObject_GC_Track(result.as_ptr().cast()) };
            Ok(result)
        }
        Err(Stop::Core(error)) => Err(to_py(error)),
        Err(Stop::Python(error)) => Err(error),
    }
}

/// The ids when every element is a str, bytes or an exact int within i64 (the
/// common batch), read straight from the objects; `None` for anything else,
/// which the general path (`hold_user_id`) converts or refuses with its message.
/// An empty id is refused here, naming its index (every element before it is fine).
fn read_fast<'a>(objects: &'a [Borrowed<'_, '_, PyAny>]) -> PyResult<Option<Vec<UserId<'a>>>> {
    let mut ids = Vec::with_capacity(objects.len());
    for (index, object) in objects.iter().enumerate() {
        let pointer = object.as_ptr();
        let id = if let Ok(text) = object.cast::<PyString>() {
            let mut size: ffi::Py_ssize_t = 0;
            // SAFETY: the GIL is held and `text` is a str (or subclass). The UTF-8
            // form is cached in the object, which the snapshot keeps alive and
            // which never changes, so it stays valid for 'a. NULL: not UTF-8.
            let data = unsafe { ffi::PyUnicode_AsUTF8AndSize(text.as_ptr(), &mut size) };
            if data.is_null() {
                // The general path words the lone-surrogate error.
                PyErr::take(object.py());
                return Ok(None);
            }
            // SAFETY: `data` points to `size` bytes of valid UTF-8, alive for 'a (above).
            UserId::Text(unsafe {
                std::str::from_utf8_unchecked(std::slice::from_raw_parts(data.cast::<u8>(), size as usize))
            })
        } else if object.is_instance_of::<PyBytes>() {
            // SAFETY: the GIL is held and `pointer` is a bytes object, immutable and
            // kept alive by the snapshot for 'a.
            UserId::Bytes(unsafe {
                std::slice::from_raw_parts(
                    ffi::PyBytes_AsString(pointer).cast::<u8>(),
                    ffi::PyBytes_Size(pointer) as usize,
                )
            })
        } else if object.is_exact_instance_of::<PyInt>() {
            let mut overflow = 0;
            // SAFETY: the GIL is held and `pointer` is an exact int: its stored value is read.
            let value = unsafe { ffi::PyLong_AsLongLongAndOverflow(pointer, &mut overflow) };
            if overflow != 0 || (value == -1 && PyErr::take(object.py()).is_some()) {
                return Ok(None);
            }
            UserId::Integer(i128::from(value))
        } else {
            return Ok(None);
        };
        id.check().map_err(|error| to_py(error.at_index(index)))?;
        ids.push(id);
    }
    Ok(Some(ids))
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
