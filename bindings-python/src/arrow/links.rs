//! `Signer.survey_links_arrow`: survey links for an Arrow table whose columns
//! are the keys `survey_links` reads from each dict (`id`, `email`, `name`,
//! `locale`, `tags`, and `traits` and `response` as structs of one field per
//! value), so `pyarrow.Table.from_pylist(identities)` gives the same links.
//! Rows are read from the Arrow buffers in order, then checked, signed and
//! rendered by the core's batch engine without the GIL. A null id gives a null
//! link; any other null leaves its field out, as None does.

use arrow_array::{Array, StructArray};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, TimeUnit};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use refiner_identity::{
    check_request, Error, Field, Identity, LinkOptions, LinkRequest, OptionProblem, Signer, SurveyUrl, Tags, Trait,
    TraitProblem, TraitValue,
};

use super::ids::{chunk, type_name, Chunk, RowProblem, ID_TYPES};
use super::input::read_chunks;
use super::output::{string_array, ArrowStringArray};
use super::Refusal;
use crate::error::to_py;
use crate::options::hold_url;

const COLUMNS: &str = "id, email, name, traits, locale, tags, response";

/// Links per hand-over from the engine: copied into the result while the next chunk renders.
const EMIT_CHUNK: usize = 1 << 14;

/// What a text field holding bytes that are not UTF-8 is told (Arrow forbids them in strings).
const NOT_UTF8: &str = "bytes that are not UTF-8";

/// What a value whose position lies outside its buffers is told.
const MALFORMED: &str = "a malformed Arrow value (outside its buffers)";

/// How a trait column's stored values become trait values.
#[derive(Clone, Copy)]
enum TraitKind {
    Text,
    Integer,
    /// Days since 1970-01-01.
    Date32,
    /// Milliseconds since 1970-01-01, a whole day.
    Date64,
    /// A timestamp with a time zone, in units of 1/`n` second.
    Timestamp(i128),
}

struct TraitColumn<'a> {
    name: &'a str,
    kind: TraitKind,
    chunk: Chunk<'a>,
}

/// One struct chunk's columns.
struct Columns<'a> {
    len: usize,
    id: Chunk<'a>,
    /// Whether the ids are a string type (their bytes must be UTF-8, as in `sign_arrow`).
    id_text: bool,
    email: Option<Chunk<'a>>,
    name: Option<Chunk<'a>>,
    locale: Option<Chunk<'a>>,
    tags: Option<Chunk<'a>>,
    traits: Vec<TraitColumn<'a>>,
    response: Vec<TraitColumn<'a>>,
}

pub fn survey_links_arrow(
    signer: &Signer,
    url: &Bound<'_, PyAny>,
    identities: &Bound<'_, PyAny>,
) -> PyResult<ArrowStringArray> {
    let url = hold_url(url).map_err(|failure| failure.into_py(None))?;
    let url = SurveyUrl::parse(url).map_err(to_py)?;
    let chunks = read_chunks(identities, "identities")?;
    let mut columns = Vec::with_capacity(chunks.arrays.len());
    for array in &chunks.arrays {
        let Some(array) = array.as_any().downcast_ref::<StructArray>() else {
            return Err(PyTypeError::new_err(format!(
                "identities must be an Arrow table, record batch or struct array with the columns {COLUMNS}, \
                 not an array of {}",
                type_name(array.data_type())
            )));
        };
        columns.push(read_columns(array)?);
    }
    let (values, lengths, nulls) =
        identities.py().detach(|| render(signer, &url, &columns)).map_err(|refusal| refusal.into_py("identities"))?;
    let array = string_array(values, lengths.into_iter(), nulls)
        .ok_or_else(|| PyTypeError::new_err("identities: the links could not be assembled"))?;
    Ok(ArrowStringArray::new(array, "survey_link"))
}

/// One struct chunk's columns, checked by type (a wrong type fails whatever the rows hold).
fn read_columns(array: &StructArray) -> PyResult<Columns<'_>> {
    let outer = array.nulls();
    let (mut id, mut email, mut name, mut locale, mut tags) = (None, None, None, None, None);
    let (mut traits, mut response) = (Vec::new(), Vec::new());
    let mut seen: Vec<&str> = Vec::new();
    for (field, column) in array.fields().iter().zip(array.columns()) {
        let column = column.as_ref();
        let column_name = field.name().as_str();
        // Arrow allows two columns of one name; which one would count is not for us to guess.
        if seen.contains(&column_name) {
            return Err(PyTypeError::new_err(format!(
                "identities: the column {column_name:?} appears twice; each column may appear once"
            )));
        }
        seen.push(column_name);
        match column_name {
            "id" => id = Some((id_column(column, outer)?, is_text(column.data_type()))),
            "email" => email = Some(contact_text(column, outer, Field::Email)?),
            "name" => name = Some(contact_text(column, outer, Field::Name)?),
            "locale" => locale = Some(option_text(column, outer, Field::Locale)?),
            "tags" => tags = Some(option_text(column, outer, Field::Tags)?),
            "traits" => traits = trait_columns(column, outer, "traits", Field::Trait)?,
            "response" => response = trait_columns(column, outer, "response", Field::Response)?,
            other => {
                let shown: String = other.chars().take(120).collect();
                return Err(PyTypeError::new_err(format!(
                    "identities: unknown column {shown:?}; the columns are {COLUMNS} (traits and response \
                     are structs of one field per value)"
                )));
            }
        }
    }
    let (id, id_text) = id.ok_or_else(|| PyTypeError::new_err("identities: the column \"id\" is required"))?;
    Ok(Columns { len: array.len(), id, id_text, email, name, locale, tags, traits, response })
}

fn is_text(data_type: &DataType) -> bool {
    matches!(data_type, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null)
}

fn id_column<'a>(column: &'a dyn Array, outer: Option<&NullBuffer>) -> PyResult<Chunk<'a>> {
    let refused = || {
        PyTypeError::new_err(format!(
            "identities: the id column is {}; the id types are {ID_TYPES}",
            type_name(column.data_type())
        ))
    };
    if matches!(column.data_type(), DataType::Struct(_) | DataType::Date32 | DataType::Date64 | DataType::Timestamp(..))
    {
        return Err(refused());
    }
    chunk(column, outer).map_err(|_| refused())
}

fn contact_text<'a>(column: &'a dyn Array, outer: Option<&NullBuffer>, field: Field) -> PyResult<Chunk<'a>> {
    let refused =
        |field: Field| to_py(Error::trait_problem(field, TraitProblem::UnsupportedType(type_name(column.data_type()))));
    if !is_text(column.data_type()) {
        return Err(refused(field));
    }
    chunk(column, outer).map_err(|_| refused(field))
}

fn option_text<'a>(column: &'a dyn Array, outer: Option<&NullBuffer>, field: Field) -> PyResult<Chunk<'a>> {
    let refused = |field: Field| {
        let problem =
            OptionProblem::UnsupportedType { expected: "a string column", got: type_name(column.data_type()) };
        to_py(Error::option(field, problem))
    };
    if !is_text(column.data_type()) {
        return Err(refused(field));
    }
    chunk(column, outer).map_err(|_| refused(field))
}

/// The fields of a `traits` or `response` struct column, in order; a null-typed field is left out.
fn trait_columns<'a>(
    column: &'a dyn Array,
    outer: Option<&NullBuffer>,
    what: &str,
    field: fn(String) -> Field,
) -> PyResult<Vec<TraitColumn<'a>>> {
    if column.data_type() == &DataType::Null {
        return Ok(Vec::new());
    }
    let Some(structs) = column.as_any().downcast_ref::<StructArray>() else {
        return Err(PyTypeError::new_err(format!(
            "identities: the {what} column must be a struct of one field per value, not {}",
            type_name(column.data_type())
        )));
    };
    let outer = NullBuffer::union(outer, structs.nulls());
    let mut traits = Vec::new();
    for (child, values) in structs.fields().iter().zip(structs.columns()) {
        let refused = |problem| to_py(Error::trait_problem(field(child.name().clone()), problem));
        let kind = match values.data_type() {
            DataType::Null => continue,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => TraitKind::Text,
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64 => TraitKind::Integer,
            DataType::Date32 => TraitKind::Date32,
            DataType::Date64 => TraitKind::Date64,
            DataType::Timestamp(_, None) => return Err(refused(TraitProblem::NaiveDateTime)),
            DataType::Timestamp(unit, Some(_)) => TraitKind::Timestamp(match unit {
                TimeUnit::Second => 1,
                TimeUnit::Millisecond => 1_000,
                TimeUnit::Microsecond => 1_000_000,
                TimeUnit::Nanosecond => 1_000_000_000,
            }),
            other => return Err(refused(TraitProblem::UnsupportedType(type_name(other)))),
        };
        let values = chunk(values.as_ref(), outer.as_ref())
            .map_err(|other| refused(TraitProblem::UnsupportedType(type_name(&other))))?;
        traits.push(TraitColumn { name: child.name(), kind, chunk: values });
    }
    Ok(traits)
}

type Rendered = (Vec<u8>, Vec<usize>, Option<NullBuffer>);

/// Every row's link (rows without an id get none), as bytes and lengths.
fn render(signer: &Signer, url: &SurveyUrl<'_>, chunks: &[Columns<'_>]) -> Result<Rendered, Refusal> {
    let mut requests = Vec::new();
    let mut rows = Vec::new();
    let mut present = Vec::new();
    let mut failure = None;
    let mut start = 0;
    'chunks: for columns in chunks {
        // The first id this chunk cannot read (found in one pass over its buffers), refused
        // as sign_arrow refuses it when its row comes.
        let mut bad_id = columns.id.check(columns.id_text);
        for local in 0..columns.len {
            let has_id = columns.id.is_valid(local);
            present.push(has_id);
            if has_id {
                let row = start + local;
                let read = match bad_id.take_if(|(bad, _)| *bad == local) {
                    Some((_, problem)) => Err(Refusal::Row(row, problem)),
                    None => request(columns, local, row),
                };
                match read {
                    Ok(request) => {
                        requests.push(request);
                        rows.push(row);
                    }
                    Err(refusal) => {
                        failure = Some(refusal);
                        break 'chunks;
                    }
                }
            }
        }
        start += columns.len;
    }
    if let Some(failure) = failure {
        // An earlier row may break a rule only the core checks.
        for (request, row) in requests.iter().zip(&rows) {
            check_request(url, request).map_err(|error| Refusal::Core(error.at_index(*row)))?;
        }
        return Err(failure);
    }
    let mut values = Vec::new();
    let mut lengths = Vec::with_capacity(requests.len());
    signer
        .survey_links_chunks(url, &requests, EMIT_CHUNK, |links| {
            for link in links {
                values.extend_from_slice(link.as_bytes());
                lengths.push(link.len());
            }
        })
        .map_err(|error| {
            Refusal::Core(match error.index() {
                // The core counts links; rows count those without an id too.
                Some(index) => {
                    let row = rows.get(index).copied().unwrap_or(index);
                    error.offset_index(row - index)
                }
                None => error,
            })
        })?;
    let mut links = lengths.into_iter();
    let lengths = present.iter().map(|&has_id| if has_id { links.next().unwrap_or(0) } else { 0 }).collect();
    let nulls = if present.iter().all(|&has_id| has_id) { None } else { Some(NullBuffer::from(present)) };
    Ok((values, lengths, nulls))
}

/// Row `local` of `columns` (row `row` of the input) as a request; its id was checked (`render`).
fn request<'a>(columns: &Columns<'a>, local: usize, row: usize) -> Result<LinkRequest<'a>, Refusal> {
    let core = |error: Error| Refusal::Core(error.at_index(row));
    // Never read as empty: an unreadable id is the malformed-array error sign_arrow gives.
    let id = columns.id.values.try_id(local).ok_or(Refusal::Row(row, RowProblem::Malformed))?;
    let contact = |column: &Option<Chunk<'a>>, field: Field| {
        text(column.as_ref(), local, || {
            Error::trait_problem(field.clone(), TraitProblem::UnsupportedType(NOT_UTF8.into()))
        })
    };
    let option = |column: &Option<Chunk<'a>>, field: Field| {
        text(column.as_ref(), local, || {
            Error::option(field.clone(), OptionProblem::UnsupportedType { expected: "text", got: NOT_UTF8.into() })
        })
    };
    let identity = Identity {
        id,
        email: contact(&columns.email, Field::Email).map_err(core)?,
        name: contact(&columns.name, Field::Name).map_err(core)?,
        traits: trait_values(&columns.traits, local, Field::Trait).map_err(core)?,
    };
    let options = LinkOptions {
        locale: option(&columns.locale, Field::Locale).map_err(core)?,
        tags: option(&columns.tags, Field::Tags).map_err(core)?.map(Tags::Joined),
        response: trait_values(&columns.response, local, Field::Response).map_err(core)?,
    };
    Ok(LinkRequest { identity, options })
}

/// A text column's value at `local` (`None` when null or absent); `invalid` when it is not UTF-8.
fn text<'a>(column: Option<&Chunk<'a>>, local: usize, invalid: impl Fn() -> Error) -> Result<Option<&'a str>, Error> {
    let Some(column) = column.filter(|column| column.is_valid(local)) else {
        return Ok(None);
    };
    let bytes = column.values.bytes(local).ok_or_else(&invalid)?;
    std::str::from_utf8(bytes).map(Some).map_err(|_| invalid())
}

fn trait_values<'a>(
    columns: &[TraitColumn<'a>],
    local: usize,
    field: fn(String) -> Field,
) -> Result<Vec<Trait<'a>>, Error> {
    let mut traits = Vec::with_capacity(columns.len());
    for column in columns.iter().filter(|column| column.chunk.is_valid(local)) {
        let refused = |problem| Error::trait_problem(field(column.name.to_owned()), problem);
        let integer = || {
            column.chunk.values.integer(local).ok_or_else(|| refused(TraitProblem::UnsupportedType(MALFORMED.into())))
        };
        let value = match column.kind {
            TraitKind::Text => {
                let bytes = column
                    .chunk
                    .values
                    .bytes(local)
                    .ok_or_else(|| refused(TraitProblem::UnsupportedType(NOT_UTF8.into())))?;
                TraitValue::Text(
                    std::str::from_utf8(bytes).map_err(|_| refused(TraitProblem::UnsupportedType(NOT_UTF8.into())))?,
                )
            }
            TraitKind::Integer => TraitValue::Integer(integer()?),
            TraitKind::Date32 => date(integer()?),
            TraitKind::Date64 => date(integer()?.div_euclid(86_400_000)),
            TraitKind::Timestamp(per_second) => {
                let seconds = integer()?.div_euclid(per_second);
                TraitValue::Timestamp(i64::try_from(seconds).map_err(|_| refused(TraitProblem::TimestampOutOfRange))?)
            }
        };
        traits.push(Trait { name: column.name, value });
    }
    Ok(traits)
}

/// The calendar date `days` after 1970-01-01; a date the core's range check
/// refuses stays out of range here.
fn date(days: i128) -> TraitValue<'static> {
    let days = i64::try_from(days).unwrap_or(if days < 0 { i64::MIN } else { i64::MAX });
    let (year, month, day) = refiner_identity::civil_from_days(days);
    // Years past i32 become i32::MAX, which the core refuses as out of range.
    TraitValue::Date { year: i32::try_from(year).unwrap_or(i32::MAX), month, day }
}
