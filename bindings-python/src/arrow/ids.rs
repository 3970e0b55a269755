//! An Arrow column of user ids, read straight from its buffers: text and
//! binary values as bytes (offsets or views), integers as their values.
//! Every value position is checked against its buffer before use, so a
//! malformed array is an error, never a read outside the buffer.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Int16Type, Int32Type, Int64Type, Int8Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type,
    UInt8Type,
};
use arrow_array::{Array, ArrayRef, StructArray};
use arrow_buffer::{Buffer, NullBuffer};
use arrow_schema::{DataType, TimeUnit};
use refiner_identity::UserId;

/// The Arrow types a user id column may have (for messages).
pub const ID_TYPES: &str = "string, large_string, string_view, binary, large_binary, binary_view or an \
     integer type (int8 to int64, uint8 to uint64)";

/// The name pyarrow prints for a type (arrow-rs says `Float64` where pyarrow says `double`).
pub fn type_name(data_type: &DataType) -> String {
    let name = match data_type {
        DataType::Null => "null",
        DataType::Boolean => "bool",
        DataType::Float16 => "halffloat",
        DataType::Float32 => "float",
        DataType::Float64 => "double",
        DataType::Utf8 => "string",
        DataType::LargeUtf8 => "large_string",
        DataType::Binary => "binary",
        DataType::LargeBinary => "large_binary",
        DataType::Date32 => "date32",
        DataType::Date64 => "date64",
        _ => return data_type.to_string(),
    };
    name.to_owned()
}

/// One chunk's values, borrowed from its buffers.
pub(super) enum Values<'a> {
    Offsets32 {
        offsets: &'a [i32],
        data: &'a [u8],
    },
    Offsets64 {
        offsets: &'a [i64],
        data: &'a [u8],
    },
    /// 16 bytes a row: length, then the bytes inline (up to 12) or prefix, buffer index, offset.
    Views {
        views: &'a [u8],
        buffers: &'a [Buffer],
    },
    I8(&'a [i8]),
    I16(&'a [i16]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    U8(&'a [u8]),
    U16(&'a [u16]),
    U32(&'a [u32]),
    U64(&'a [u64]),
    /// Arrow's `null` type: every row is null.
    AllNull,
}

/// One array's values and nulls (with those of any enclosing struct).
pub(super) struct Chunk<'a> {
    pub(super) values: Values<'a>,
    nulls: Option<NullBuffer>,
    len: usize,
}

impl Chunk<'_> {
    /// The first row of this chunk (lowest index) holding a value that cannot be read, and
    /// why; `text`: the values must be UTF-8. Null rows are never read.
    pub(super) fn check(&self, text: bool) -> Option<(usize, RowProblem)> {
        // Whole buffers first (one UTF-8 pass each); only when that fails does the row-by-row
        // scan run, to name the row (it skips null rows, whose slots may hold anything).
        if !self.values.has_bytes() || self.values.all_readable(text) {
            return None;
        }
        (0..self.len).filter(|&local| self.is_valid(local)).find_map(|local| match self.values.bytes(local) {
            None => Some((local, RowProblem::Malformed)),
            Some(bytes) if text && std::str::from_utf8(bytes).is_err() => Some((local, RowProblem::NotUtf8)),
            Some(_) => None,
        })
    }

    /// Whether row `local` holds a value.
    pub(super) fn is_valid(&self, local: usize) -> bool {
        match (&self.values, &self.nulls) {
            (Values::AllNull, _) => false,
            (_, Some(nulls)) => nulls.is_valid(local),
            (_, None) => true,
        }
    }
}

/// Why a row cannot be read.
pub enum RowProblem {
    /// A position outside the array's own buffers (a broken producer).
    Malformed,
    /// A `string` value that is not UTF-8, which Arrow forbids.
    NotUtf8,
}

/// A column of ids across all its chunks; rows are numbered from 0 over the chunks.
pub struct IdColumn<'a> {
    chunks: Vec<Chunk<'a>>,
    /// Row number of each chunk's first row.
    starts: Vec<usize>,
    len: usize,
    /// Whether values must be UTF-8 (the string types).
    text: bool,
    /// Rows holding an id, in order, when some rows are null (`None`: every row).
    present: Option<Vec<usize>>,
}

impl<'a> IdColumn<'a> {
    /// The column of ids in `arrays` (all of `data_type`); a struct of one field is that field.
    /// `Err` holds the type that cannot hold ids.
    pub fn new(data_type: &DataType, arrays: &'a [ArrayRef]) -> Result<Self, DataType> {
        let text = matches!(id_type(data_type)?, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
        let mut chunks = Vec::with_capacity(arrays.len());
        for array in arrays {
            chunks.push(chunk(array.as_ref(), None)?);
        }
        let mut starts = Vec::with_capacity(chunks.len());
        let mut len = 0;
        for chunk in &chunks {
            starts.push(len);
            len += chunk.len;
        }
        let mut column = IdColumn { chunks, starts, len, text, present: None };
        if column.chunks.iter().any(|chunk| chunk.nulls.is_some()) {
            column.present = Some((0..len).filter(|&row| column.is_valid(row)).collect());
        }
        Ok(column)
    }

    /// How many rows hold an id (one signature each).
    pub fn present_len(&self) -> usize {
        self.present.as_ref().map_or(self.len, Vec::len)
    }

    /// The row of the `slot`-th id (rows without one skipped).
    pub fn row_of(&self, slot: usize) -> usize {
        match &self.present {
            Some(rows) => rows.get(slot).copied().unwrap_or(self.len),
            None => slot,
        }
    }

    /// The id of the `slot`-th present row. A position that moved outside its buffer since
    /// [`check`](Self::check) (memory changed by its owner) reads as empty, which the core refuses.
    pub fn id_at(&self, slot: usize) -> UserId<'a> {
        let (chunk, local) = self.locate(self.row_of(slot));
        self.chunks.get(chunk).map_or(UserId::Bytes(&[]), |chunk| chunk.values.id(local))
    }

    /// Each row's validity, in order, chunk by chunk.
    pub fn validity(&self) -> impl ExactSizeIterator<Item = bool> + '_ {
        (0..self.len).map(|row| self.is_valid(row))
    }

    /// The nulls of the whole column as one buffer (`None`: no null).
    pub fn nulls(&self) -> Option<NullBuffer> {
        self.present.as_ref()?;
        let mut builder = arrow_buffer::NullBufferBuilder::new(self.len);
        for chunk in &self.chunks {
            match &chunk.nulls {
                Some(nulls) => builder.append_buffer(nulls),
                None => builder.append_n_non_nulls(chunk.len),
            }
        }
        builder.finish()
    }

    /// The first row (lowest index) that cannot be read, and why; null rows are never read.
    pub fn check(&self) -> Option<(usize, RowProblem)> {
        let mut chunks = self.chunks.iter().zip(&self.starts);
        chunks.find_map(|(chunk, start)| chunk.check(self.text).map(|(local, problem)| (start + local, problem)))
    }

    fn is_valid(&self, row: usize) -> bool {
        let (chunk, local) = self.locate(row);
        self.chunks.get(chunk).is_some_and(|chunk| chunk.is_valid(local))
    }

    /// The chunk holding `row` and the row's index in it.
    fn locate(&self, row: usize) -> (usize, usize) {
        if self.chunks.len() == 1 {
            return (0, row);
        }
        let chunk = self.starts.partition_point(|&start| start <= row).saturating_sub(1);
        (chunk, row - self.starts.get(chunk).copied().unwrap_or(0))
    }
}

/// One array as a chunk; `outer` holds the nulls of an enclosing struct.
pub(super) fn chunk<'a>(array: &'a dyn Array, outer: Option<&NullBuffer>) -> Result<Chunk<'a>, DataType> {
    let nulls = NullBuffer::union(outer, array.logical_nulls().as_ref()).filter(|nulls| nulls.null_count() > 0);
    let values = match array.data_type() {
        DataType::Utf8 => {
            let array = array.as_string::<i32>();
            Values::Offsets32 { offsets: array.value_offsets(), data: array.value_data() }
        }
        DataType::LargeUtf8 => {
            let array = array.as_string::<i64>();
            Values::Offsets64 { offsets: array.value_offsets(), data: array.value_data() }
        }
        DataType::Binary => {
            let array = array.as_binary::<i32>();
            Values::Offsets32 { offsets: array.value_offsets(), data: array.value_data() }
        }
        DataType::LargeBinary => {
            let array = array.as_binary::<i64>();
            Values::Offsets64 { offsets: array.value_offsets(), data: array.value_data() }
        }
        DataType::Utf8View => {
            let array = array.as_string_view();
            Values::Views { views: array.views().inner().as_slice(), buffers: array.data_buffers() }
        }
        DataType::BinaryView => {
            let array = array.as_binary_view();
            Values::Views { views: array.views().inner().as_slice(), buffers: array.data_buffers() }
        }
        DataType::Int8 => Values::I8(array.as_primitive::<Int8Type>().values()),
        DataType::Int16 => Values::I16(array.as_primitive::<Int16Type>().values()),
        DataType::Int32 => Values::I32(array.as_primitive::<Int32Type>().values()),
        DataType::Int64 => Values::I64(array.as_primitive::<Int64Type>().values()),
        DataType::UInt8 => Values::U8(array.as_primitive::<UInt8Type>().values()),
        DataType::UInt16 => Values::U16(array.as_primitive::<UInt16Type>().values()),
        DataType::UInt32 => Values::U32(array.as_primitive::<UInt32Type>().values()),
        DataType::UInt64 => Values::U64(array.as_primitive::<UInt64Type>().values()),
        // Dates and timestamps (trait values) are read as their stored integers.
        DataType::Date32 => Values::I32(array.as_primitive::<Date32Type>().values()),
        DataType::Date64 => Values::I64(array.as_primitive::<Date64Type>().values()),
        DataType::Timestamp(TimeUnit::Second, _) => Values::I64(array.as_primitive::<TimestampSecondType>().values()),
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            Values::I64(array.as_primitive::<TimestampMillisecondType>().values())
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            Values::I64(array.as_primitive::<TimestampMicrosecondType>().values())
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            Values::I64(array.as_primitive::<TimestampNanosecondType>().values())
        }
        DataType::Null => Values::AllNull,
        DataType::Struct(fields) if fields.len() == 1 => {
            let array = array.as_any().downcast_ref::<StructArray>().ok_or_else(|| array.data_type().clone())?;
            let outer = NullBuffer::union(outer, array.nulls());
            return chunk(array.column(0).as_ref(), outer.as_ref());
        }
        other => return Err(other.clone()),
    };
    Ok(Chunk { values, nulls, len: array.len() })
}

/// The type of the ids in a column of `data_type` (a struct of one field holds them in that field).
fn id_type(data_type: &DataType) -> Result<&DataType, DataType> {
    match data_type {
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Null => Ok(data_type),
        DataType::Struct(fields) if fields.len() == 1 => id_type(fields[0].data_type()),
        other => Err(other.clone()),
    }
}

impl<'a> Values<'a> {
    /// True when every row's position lies inside its buffers and, for `text`, every value is
    /// UTF-8; `false` says only that some row (maybe a null one) fails.
    fn all_readable(&self, text: bool) -> bool {
        match *self {
            Values::Offsets32 { offsets, data } => offsets_readable(offsets, data, text),
            Values::Offsets64 { offsets, data } => offsets_readable(offsets, data, text),
            Values::Views { views, buffers } => {
                let mut texts = Vec::with_capacity(buffers.len());
                if text {
                    for buffer in buffers {
                        let Ok(valid) = std::str::from_utf8(buffer.as_slice()) else {
                            return false;
                        };
                        texts.push(valid);
                    }
                }
                views.chunks_exact(16).all(|view| {
                    let word = |at: usize| {
                        view.get(at..at + 4).and_then(|bytes| bytes.try_into().ok()).map(u32::from_le_bytes)
                    };
                    let Some(len) = word(0).map(|len| len as usize) else {
                        return false;
                    };
                    if len <= 12 {
                        return view.get(4..4 + len).is_some_and(|bytes| !text || std::str::from_utf8(bytes).is_ok());
                    }
                    let (Some(index), Some(offset)) = (word(8), word(12)) else {
                        return false;
                    };
                    let (index, offset) = (index as usize, offset as usize);
                    let Some(end) = offset.checked_add(len) else {
                        return false;
                    };
                    if text {
                        // A slice of valid UTF-8 is UTF-8 when it starts and ends on character boundaries.
                        texts.get(index).is_some_and(|valid| valid.get(offset..end).is_some())
                    } else {
                        buffers.get(index).is_some_and(|buffer| end <= buffer.len())
                    }
                })
            }
            _ => true,
        }
    }

    pub(super) fn has_bytes(&self) -> bool {
        matches!(self, Values::Offsets32 { .. } | Values::Offsets64 { .. } | Values::Views { .. })
    }

    /// Row `local`'s bytes, `None` if its position lies outside the buffers.
    pub(super) fn bytes(&self, local: usize) -> Option<&'a [u8]> {
        match *self {
            Values::Offsets32 { offsets, data } => between(data, *offsets.get(local)?, *offsets.get(local + 1)?),
            Values::Offsets64 { offsets, data } => between(data, *offsets.get(local)?, *offsets.get(local + 1)?),
            Values::Views { views, buffers } => {
                let view = views.get(local * 16..local * 16 + 16)?;
                let word = |at: usize| Some(u32::from_le_bytes(view.get(at..at + 4)?.try_into().ok()?) as usize);
                let len = word(0)?;
                if len <= 12 {
                    return view.get(4..4 + len);
                }
                let (buffer, offset) = (word(8)?, word(12)?);
                buffers.get(buffer)?.as_slice().get(offset..offset.checked_add(len)?)
            }
            _ => None,
        }
    }

    /// Row `local` of an integer chunk (dates and timestamps included).
    pub(super) fn integer(&self, local: usize) -> Option<i128> {
        match *self {
            Values::I8(values) => values.get(local).map(|&value| value.into()),
            Values::I16(values) => values.get(local).map(|&value| value.into()),
            Values::I32(values) => values.get(local).map(|&value| value.into()),
            Values::I64(values) => values.get(local).map(|&value| value.into()),
            Values::U8(values) => values.get(local).map(|&value| value.into()),
            Values::U16(values) => values.get(local).map(|&value| value.into()),
            Values::U32(values) => values.get(local).map(|&value| value.into()),
            Values::U64(values) => values.get(local).map(|&value| value.into()),
            _ => None,
        }
    }

    /// Row `local`'s id, read as empty when it lies outside the buffers (see `IdColumn::id_at`).
    pub(super) fn id(&self, local: usize) -> UserId<'a> {
        self.try_id(local).unwrap_or(UserId::Bytes(&[]))
    }

    /// Row `local`'s id, `None` if its position lies outside the buffers.
    pub(super) fn try_id(&self, local: usize) -> Option<UserId<'a>> {
        if self.has_bytes() {
            return self.bytes(local).map(UserId::Bytes);
        }
        self.integer(local).map(UserId::Integer)
    }
}

/// True when the offsets start at 0 or more, never decrease and stay inside `data`, and,
/// for `text`, the bytes they span are UTF-8 cut only at character boundaries.
fn offsets_readable<O: Copy + TryInto<usize>>(offsets: &[O], data: &[u8], text: bool) -> bool {
    let position = |offset: &O| (*offset).try_into().ok();
    let (Some(first), Some(last)) = (offsets.first().and_then(position), offsets.last().and_then(position)) else {
        return offsets.is_empty();
    };
    let Some(region) = data.get(first..last.max(first)) else {
        return false;
    };
    let valid = match text.then(|| std::str::from_utf8(region)) {
        Some(Ok(valid)) => Some(valid),
        Some(Err(_)) => return false,
        None => None,
    };
    let mut previous = first;
    offsets.iter().all(|offset| match position(offset) {
        Some(at) if at >= previous && at <= last => {
            previous = at;
            !text || valid.is_some_and(|valid| valid.is_char_boundary(at - first))
        }
        _ => false,
    })
}

fn between<O: TryInto<usize>>(data: &[u8], start: O, end: O) -> Option<&[u8]> {
    data.get(start.try_into().ok()?..end.try_into().ok()?)
}
