//! Any object of the Arrow PyCapsule interface, read into arrow-rs arrays:
//! `__arrow_c_array__` (one array) or `__arrow_c_stream__` (its chunks, read
//! to the end). The capsules are the interface; nothing else of the object runs.
//!
//! The producer is not trusted: a capsule already released, an array whose
//! buffers or children do not fit the declared type, and a stream chunk of
//! another type are errors, found before arrow-rs builds an array (its import
//! asserts, and would panic, on all of them).

use std::ffi::{c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use arrow_array::ffi::{from_ffi_and_data_type, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{make_array, new_empty_array, Array, ArrayRef};
use arrow_data::layout;
use arrow_schema::{DataType, Field};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};

use crate::failure::type_name;

/// A column as Arrow chunks of one type.
pub struct Chunks {
    pub data_type: DataType,
    pub arrays: Vec<ArrayRef>,
}

/// Deeper nesting than any id or survey column has is refused, not recursed into.
const MAX_DEPTH: usize = 64;

/// Reads `object` (named `argument` in messages) as Arrow chunks.
pub fn read_chunks(object: &Bound<'_, PyAny>, argument: &str) -> PyResult<Chunks> {
    let py = object.py();
    let malformed =
        |problem: String| PyValueError::new_err(format!("{argument}: the Arrow data is malformed: {problem}"));
    if object.hasattr(intern!(py, "__arrow_c_array__"))? {
        let pair = object.getattr(intern!(py, "__arrow_c_array__"))?.call0()?;
        let capsules = pair.cast::<PyTuple>().ok().filter(|pair| pair.len() == 2).ok_or_else(|| {
            PyTypeError::new_err(format!(
                "{argument}: __arrow_c_array__ must return a tuple of two capsules (schema, array), not {}",
                type_name(&pair)
            ))
        })?;
        let schema = capsule_pointer(&capsules.get_item(0)?, c"arrow_schema", argument)?;
        let array = capsule_pointer(&capsules.get_item(1)?, c"arrow_array", argument)?.cast::<FFI_ArrowArray>();
        // SAFETY: the capsule named arrow_schema holds an ArrowSchema (the
        // interface's contract); it stays owned by the capsule, alive while borrowed here.
        let field = read_field(unsafe { &*schema.cast::<FFI_ArrowSchema>() }).map_err(malformed)?;
        let data_type = field.data_type().clone();
        // SAFETY: the capsule named arrow_array holds an ArrowArray; it is read in place first.
        if unsafe { (*array).release.is_none() } {
            return Err(PyValueError::new_err(format!(
                "{argument}: the Arrow array capsule was already released (a capsule can be read once); \
                 export the array again"
            )));
        }
        // SAFETY: as above, and not released (checked just now).
        unsafe { check_structure(&*array, &data_type, 0) }.map_err(malformed)?;
        // SAFETY: the array is moved out of the capsule, which is left holding a released
        // (empty) one, so its destructor does not release it again.
        let array = unsafe { FFI_ArrowArray::from_raw(array) };
        let array = import(array, &data_type).map_err(malformed)?;
        Ok(Chunks { data_type, arrays: vec![array] })
    } else if object.hasattr(intern!(py, "__arrow_c_stream__"))? {
        let capsule = object.getattr(intern!(py, "__arrow_c_stream__"))?.call0()?;
        let stream = capsule_pointer(&capsule, c"arrow_array_stream", argument)?.cast::<FFI_ArrowArrayStream>();
        // SAFETY: the capsule named arrow_array_stream holds an ArrowArrayStream.
        if unsafe { (*stream).release.is_none() } {
            return Err(PyValueError::new_err(format!(
                "{argument}: the Arrow stream capsule was already released (a stream can be read once); \
                 export it again"
            )));
        }
        // SAFETY: moved out of the capsule (which keeps a released one); dropping it releases it.
        let stream = unsafe { FFI_ArrowArrayStream::from_raw(stream) };
        read_stream(stream).map_err(|problem| match problem {
            StreamProblem::Failed(message) => {
                PyValueError::new_err(format!("{argument}: reading the Arrow stream failed: {message}"))
            }
            StreamProblem::Malformed(message) => malformed(message),
        })
    } else {
        Err(PyTypeError::new_err(format!(
            "{argument} must be an Arrow array or stream (an object with __arrow_c_array__ or \
             __arrow_c_stream__, such as a pyarrow Array or ChunkedArray, a Polars Series or a DuckDB \
             relation's arrow()), not {}",
            type_name(object)
        )))
    }
}

/// The pointer of `object`, a capsule named `name`; a TypeError naming what came instead.
fn capsule_pointer(object: &Bound<'_, PyAny>, name: &CStr, argument: &str) -> PyResult<*mut c_void> {
    let wanted = name.to_string_lossy();
    let Ok(capsule) = object.cast::<PyCapsule>() else {
        return Err(PyTypeError::new_err(format!(
            "{argument}: expected an {wanted} capsule, not {}",
            type_name(object)
        )));
    };
    capsule.pointer_checked(Some(name)).map(|pointer| pointer.as_ptr()).map_err(|_| {
        let got = match capsule.name() {
            // SAFETY: the name is read while the capsule is alive and not changed in between.
            Ok(Some(got)) => format!("an {} capsule", unsafe { got.as_cstr() }.to_string_lossy()),
            _ => "a capsule without a name".into(),
        };
        PyTypeError::new_err(format!("{argument}: expected an {wanted} capsule, got {got}"))
    })
}

enum StreamProblem {
    /// The producer reported an error (its message, if any).
    Failed(String),
    Malformed(String),
}

fn read_stream(mut stream: FFI_ArrowArrayStream) -> Result<Chunks, StreamProblem> {
    let (Some(get_schema), Some(get_next)) = (stream.get_schema, stream.get_next) else {
        return Err(StreamProblem::Malformed("the stream has no get_schema or get_next callback".into()));
    };
    let mut schema = FFI_ArrowSchema::empty();
    // SAFETY: a live stream's callback, writing a schema we own (released on drop).
    let code = unsafe { get_schema(&mut stream, &mut schema) };
    if code != 0 {
        return Err(StreamProblem::Failed(last_error(&mut stream, code)));
    }
    let data_type = read_field(&schema).map_err(StreamProblem::Malformed)?.data_type().clone();
    let mut arrays = Vec::new();
    loop {
        let mut array = FFI_ArrowArray::empty();
        // SAFETY: as above; the array written is ours (released on drop).
        let code = unsafe { get_next(&mut stream, &mut array) };
        if code != 0 {
            return Err(StreamProblem::Failed(last_error(&mut stream, code)));
        }
        if array.is_released() {
            return Ok(Chunks { data_type, arrays });
        }
        let chunk = arrays.len();
        // A chunk is imported as the declared type: one of another type does not fit it.
        // SAFETY: `array` was written by the stream's get_next, an ArrowArray of the interface.
        unsafe { check_structure(&array, &data_type, 0) }
            .and_then(|()| import(array, &data_type))
            .map(|array| arrays.push(array))
            .map_err(|problem| {
                StreamProblem::Malformed(format!("chunk {chunk} does not fit the stream's {data_type}: {problem}"))
            })?;
    }
}

fn last_error(stream: &mut FFI_ArrowArrayStream, code: i32) -> String {
    let message = stream.get_last_error.and_then(|get_last_error| {
        // SAFETY: a live stream's callback; the text it returns lives until the next call.
        let text = unsafe { get_last_error(stream) };
        // SAFETY: a NUL-terminated string, or NULL.
        (!text.is_null()).then(|| unsafe { CStr::from_ptr(text) }.to_string_lossy().into_owned())
    });
    message.unwrap_or_else(|| format!("error code {code}"))
}

/// The field a schema describes; an error for a released or unreadable one.
fn read_field(schema: &FFI_ArrowSchema) -> Result<Field, String> {
    if schema.release.is_none() || schema.format.is_null() {
        return Err("the schema capsule was already released".into());
    }
    guarded(|| Field::try_from(schema).map_err(|error| error.to_string()))
}

/// Whether `array` has the buffers and children `data_type` needs: arrow-rs's
/// import asserts on these, and reads the buffer pointers it is given.
///
/// # Safety
/// `array` is an ArrowArray as the C data interface defines it (its pointers are read).
unsafe fn check_structure(array: &FFI_ArrowArray, data_type: &DataType, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("it is nested too deeply".into());
    }
    if array.release.is_none() && depth == 0 {
        return Err("the array was already released".into());
    }
    // Room for the offset and length arithmetic of the import (bytes of 16-byte views).
    let limit = i64::MAX / 32;
    if !(0..limit).contains(&array.length)
        || !(0..limit).contains(&array.offset)
        || array.length + array.offset >= limit
        || array.null_count < -1
    {
        return Err("its length, offset or null count is out of range".into());
    }
    let layout = layout(data_type);
    let fixed = layout.buffers.len() + usize::from(layout.can_contain_null_mask);
    let buffers = usize::try_from(array.n_buffers).map_err(|_| "its buffer count is negative".to_owned())?;
    // A view array also has a buffer of the lengths of its variadic data buffers.
    if (layout.variadic && buffers < fixed + 1) || (!layout.variadic && buffers != fixed) {
        let expected = if layout.variadic { format!("at least {}", fixed + 1) } else { fixed.to_string() };
        return Err(format!("a {data_type} array has {expected} buffers, this one has {buffers}"));
    }
    if buffers > 0 && array.buffers.is_null() {
        return Err("its buffer list is missing".into());
    }
    let children: Vec<&DataType> = match data_type {
        DataType::Struct(fields) => fields.iter().map(|field| field.data_type()).collect(),
        DataType::List(field)
        | DataType::LargeList(field)
        | DataType::FixedSizeList(field, _)
        | DataType::ListView(field)
        | DataType::LargeListView(field)
        | DataType::Map(field, _) => vec![field.data_type()],
        DataType::Union(fields, _) => fields.iter().map(|(_, field)| field.data_type()).collect(),
        DataType::RunEndEncoded(ends, values) => vec![ends.data_type(), values.data_type()],
        _ => Vec::new(),
    };
    if usize::try_from(array.n_children).ok() != Some(children.len()) {
        return Err(format!("a {data_type} array has {} children, this one has {}", children.len(), array.n_children));
    }
    if !children.is_empty() && array.children.is_null() {
        return Err("its child list is missing".into());
    }
    for (index, child_type) in children.into_iter().enumerate() {
        // SAFETY: `children` holds `n_children` pointers (the interface's contract).
        let child = unsafe { *array.children.add(index) };
        if child.is_null() {
            return Err(format!("its child {index} is missing"));
        }
        // SAFETY: a non-null child is an ArrowArray.
        unsafe { check_structure(&*child, child_type, depth + 1) }?;
    }
    match (data_type, array.dictionary.is_null()) {
        // SAFETY: a non-null dictionary is an ArrowArray.
        (DataType::Dictionary(_, values), false) => unsafe { check_structure(&*array.dictionary, values, depth + 1) },
        (DataType::Dictionary(..), true) => Err("a dictionary array has no dictionary".into()),
        (_, false) => Err(format!("a {data_type} array has no dictionary, this one has one")),
        (_, true) => Ok(()),
    }
}

/// The array, built after arrow-rs has checked its buffers against its type
/// (sizes, offsets in range, nulls counted right); values are checked by the readers.
fn import(array: FFI_ArrowArray, data_type: &DataType) -> Result<ArrayRef, String> {
    guarded(|| {
        // arrow-rs imports an empty slice of a string array with no data but its
        // offsets (then refuses it): no rows need no buffers.
        if array.is_empty() {
            return Ok(new_empty_array(data_type));
        }
        // SAFETY: the structure was checked against `data_type` (check_structure); buffer
        // sizes the interface does not carry are taken from the type and length, as in any import.
        let data = unsafe { from_ffi_and_data_type(array, data_type.clone()) }.map_err(|error| error.to_string())?;
        data.validate().and_then(|()| data.validate_nulls()).map_err(|error| error.to_string())?;
        let array = make_array(data);
        debug_assert_eq!(array.data_type(), data_type);
        Ok(array)
    })
}

/// `build()`, with a panic of arrow-rs on input the checks above missed turned into an error.
fn guarded<T>(build: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(build)).unwrap_or_else(|_| Err("arrow-rs could not import it".into()))
}
