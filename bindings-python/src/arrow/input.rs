//! Any object of the Arrow PyCapsule interface, read into arrow-rs arrays:
//! `__arrow_c_array__` (one array) or `__arrow_c_stream__` (its chunks, read
//! to the end). The capsules are the interface; nothing else of the object runs.

use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3_arrow::{PyArray, PyArrayReader};

use crate::failure::type_name;

/// A column as Arrow chunks of one type.
pub struct Chunks {
    pub data_type: DataType,
    pub arrays: Vec<ArrayRef>,
}

/// Reads `object` (named `argument` in messages) as Arrow chunks.
pub fn read_chunks(object: &Bound<'_, PyAny>, argument: &str) -> PyResult<Chunks> {
    let py = object.py();
    let (arrays, data_type) = if object.hasattr(intern!(py, "__arrow_c_array__"))? {
        let (array, field) = object.extract::<PyArray>()?.into_inner();
        (vec![array], field.data_type().clone())
    } else if object.hasattr(intern!(py, "__arrow_c_stream__"))? {
        let reader = object.extract::<PyArrayReader>()?.into_reader()?;
        let data_type = reader.field().data_type().clone();
        let arrays = reader
            .collect::<Result<Vec<ArrayRef>, _>>()
            .map_err(|error| PyValueError::new_err(format!("{argument}: reading the Arrow stream failed: {error}")))?;
        (arrays, data_type)
    } else {
        return Err(PyTypeError::new_err(format!(
            "{argument} must be an Arrow array or stream (an object with __arrow_c_array__ or \
             __arrow_c_stream__, such as a pyarrow Array or ChunkedArray, a Polars Series or a DuckDB \
             relation's arrow()), not {}",
            type_name(object)
        )));
    };
    if let Some(wrong) = arrays.iter().find(|array| array.data_type() != &data_type) {
        return Err(PyValueError::new_err(format!(
            "{argument}: the Arrow stream declared {data_type} but sent a chunk of {}",
            wrong.data_type()
        )));
    }
    Ok(Chunks { data_type, arrays })
}
