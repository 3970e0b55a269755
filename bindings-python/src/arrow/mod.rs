//! Arrow columns in, Arrow string arrays out (`Signer.sign_arrow`): values
//! read straight from the Arrow buffers, signatures written by the core into
//! the result's buffer on all cores without the GIL, no Python object per row.

mod ids;
mod input;
mod links;
mod output;

use arrow_schema::DataType;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use refiner_identity::{Error, Signer};

use crate::error::{to_py, InvalidUserIdError};
use ids::{IdColumn, RowProblem, ID_TYPES};
use input::{read_chunks, Chunks};
pub use links::survey_links_arrow;
pub use output::ArrowStringArray;

/// Bytes of one signature in the result.
const SIGNATURE_LEN: usize = 64;

/// Why a column could not be signed, found without the GIL.
enum Refusal {
    /// A column type that holds no ids.
    Type(DataType),
    Core(Error),
    Row(usize, RowProblem),
    /// The result's lengths did not add up (a bug here, reported rather than risked).
    Internal,
}

impl Refusal {
    /// The exception; `argument` names the input in a message about its structure.
    fn into_py(self, argument: &str) -> PyErr {
        match self {
            Refusal::Type(data_type) => PyTypeError::new_err(format!(
                "ids: an Arrow column of {} cannot hold user ids; the types are {ID_TYPES}",
                ids::type_name(&data_type)
            )),
            Refusal::Core(error) => to_py(error),
            Refusal::Row(row, RowProblem::NotUtf8) => InvalidUserIdError::new_err(format!(
                "invalid user id at index {row}: this string column holds bytes that are not UTF-8 there, \
                 which Arrow does not allow in a string; cast the column to binary to sign the bytes"
            )),
            Refusal::Row(row, RowProblem::Malformed) => PyValueError::new_err(format!(
                "{argument}: the Arrow array is malformed: the value at index {row} lies outside its buffers"
            )),
            Refusal::Internal => PyValueError::new_err("ids: the signed array could not be assembled"),
        }
    }
}

/// `Signer.sign_arrow`: the signature of each id of an Arrow column; null ids give null signatures.
pub fn sign_arrow(signer: &Signer, ids: &Bound<'_, PyAny>) -> PyResult<ArrowStringArray> {
    let chunks = read_chunks(ids, "ids")?;
    let array = ids.py().detach(|| sign_column(signer, &chunks)).map_err(|refusal| refusal.into_py("ids"))?;
    Ok(ArrowStringArray::new(array, "refiner_signature"))
}

fn sign_column(signer: &Signer, chunks: &Chunks) -> Result<arrow_array::ArrayRef, Refusal> {
    let column = IdColumn::new(&chunks.data_type, &chunks.arrays).map_err(Refusal::Type)?;
    if let Some((row, problem)) = column.check() {
        return Err(Refusal::Row(row, problem));
    }
    let mut values = vec![0u8; column.present_len() * SIGNATURE_LEN];
    let (slots, _) = values.as_chunks_mut::<SIGNATURE_LEN>();
    signer.sign_hex_into(slots, |slot| column.id_at(slot)).map_err(|error| {
        // The core counts ids; rows count the nulls between them too.
        let error = match error.index() {
            Some(slot) => error.offset_index(column.row_of(slot) - slot),
            None => error,
        };
        Refusal::Core(error)
    })?;
    let lengths = column.validity().map(|present| if present { SIGNATURE_LEN } else { 0 });
    output::string_array(values, lengths, column.nulls()).ok_or(Refusal::Internal)
}
