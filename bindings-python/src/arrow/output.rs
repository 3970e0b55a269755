//! The string arrays `sign_arrow` and `survey_links_arrow` return: values
//! written by the core into one buffer, offsets from each row's length, and
//! the `ArrowStringArray` object that hands them to pyarrow, Polars or DuckDB
//! through the Arrow PyCapsule interface without a copy.

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, GenericStringArray, OffsetSizeTrait};
use arrow_buffer::{Buffer, NullBuffer, OffsetBuffer};
use arrow_schema::{DataType, Field, FieldRef};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};
use pyo3_arrow::ffi::{to_array_pycapsules, to_schema_pycapsule, to_stream_pycapsule, ArrayIterator};

/// An Arrow ``string`` array (``large_string`` past 2 GiB of text, where 32-bit
/// offsets end), read by ``pyarrow.array(result)``, ``polars.Series(result)``
/// or DuckDB through the Arrow PyCapsule interface, without a copy.
#[pyclass(frozen, module = "refiner_identity")]
pub struct ArrowStringArray {
    array: ArrayRef,
    field: FieldRef,
}

impl ArrowStringArray {
    pub fn new(array: ArrayRef, name: &str) -> Self {
        let field = Arc::new(Field::new(name, array.data_type().clone(), true));
        ArrowStringArray { array, field }
    }
}

#[pymethods]
impl ArrowStringArray {
    /// The array as Arrow C schema and array capsules (cast to ``requested_schema`` when given and possible).
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        Ok(to_array_pycapsules(py, self.field.clone(), self.array.as_ref(), requested_schema)?)
    }

    /// The array as an Arrow C stream of one chunk.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let reader = ArrayIterator::new(vec![Ok(self.array.clone())], self.field.clone());
        Ok(to_stream_pycapsule(py, Box::new(reader), requested_schema)?)
    }

    /// The array's field (name and type) as an Arrow C schema capsule.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        Ok(to_schema_pycapsule(py, self.field.as_ref())?)
    }

    fn __len__(&self) -> usize {
        self.array.len()
    }

    /// How many rows are null (a null id, or a row with no link).
    #[getter]
    fn null_count(&self) -> usize {
        self.array.null_count()
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowStringArray(type={}, len={}, null_count={})",
            type_name(self.array.data_type()),
            self.array.len(),
            self.array.null_count()
        )
    }
}

fn type_name(data_type: &DataType) -> &'static str {
    match data_type {
        DataType::LargeUtf8 => "large_string",
        _ => "string",
    }
}

/// A string array of `values` cut into rows of `lengths` (0 for a null row).
/// `None` if the lengths do not add up to the values (a bug of the caller).
pub fn string_array(
    values: Vec<u8>,
    lengths: impl ExactSizeIterator<Item = usize>,
    nulls: Option<NullBuffer>,
) -> Option<ArrayRef> {
    if i32::try_from(values.len()).is_ok() {
        string_array_of::<i32>(values, lengths, nulls)
    } else {
        string_array_of::<i64>(values, lengths, nulls)
    }
}

fn string_array_of<O: OffsetSizeTrait>(
    values: Vec<u8>,
    lengths: impl ExactSizeIterator<Item = usize>,
    nulls: Option<NullBuffer>,
) -> Option<ArrayRef> {
    let rows = lengths.len();
    let mut offsets = Vec::with_capacity(rows + 1);
    let mut end = 0usize;
    offsets.push(O::usize_as(0));
    for length in lengths {
        end = end.checked_add(length)?;
        offsets.push(O::from_usize(end)?);
    }
    if end != values.len() || offsets.len() != rows + 1 || nulls.as_ref().is_some_and(|nulls| nulls.len() != rows) {
        return None;
    }
    // SAFETY: the offsets start at 0, never decrease and end at `values.len()`
    // (checked above); every row's bytes are whole UTF-8 text written by the
    // core (hex digits, or a link that was a `String`), so no row splits a
    // character. Skipping the check saves a UTF-8 pass over the whole buffer.
    let array = unsafe {
        GenericStringArray::<O>::new_unchecked(
            OffsetBuffer::new_unchecked(offsets.into()),
            Buffer::from_vec(values),
            nulls,
        )
    };
    Some(Arc::new(array))
}

#[cfg(test)]
mod tests {
    use arrow_array::cast::AsArray;

    use super::*;

    #[test]
    fn rows_are_cut_by_their_lengths_and_null_rows_take_none() {
        let nulls = NullBuffer::from(vec![true, false, true]);
        let array = string_array(b"abcd".to_vec(), [1, 0, 3].into_iter(), Some(nulls)).unwrap();
        let strings = array.as_string::<i32>();
        assert_eq!(strings.value(0), "a");
        assert!(strings.is_null(1));
        assert_eq!(strings.value(2), "bcd");
    }

    #[test]
    fn lengths_that_do_not_add_up_are_refused() {
        assert!(string_array(b"abcd".to_vec(), [1, 2].into_iter(), None).is_none());
        assert!(string_array(b"ab".to_vec(), [1, 1].into_iter(), Some(NullBuffer::from(vec![true]))).is_none());
    }

    #[test]
    fn large_offsets_make_a_large_string() {
        // The choice string_array makes past i32::MAX bytes, on a few bytes.
        let array = string_array_of::<i64>(b"ab".to_vec(), [1, 1].into_iter(), None).unwrap();
        assert_eq!(array.data_type(), &DataType::LargeUtf8);
        assert_eq!(array.as_string::<i64>().value(1), "b");
    }
}
