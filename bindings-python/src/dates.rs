//! `datetime.date` and aware `datetime.datetime` values (or subclasses) as the
//! core's dates and timestamps. Fields are read by the real types' own C
//! methods, never by attributes a subclass can override: `__reduce__` of
//! `date`/`datetime` returns the object's packed fields in one read.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyTuple, PyType};
use pyo3::{ffi, intern};
use refiner_identity::{Error, Field, TraitProblem, TraitValue};

use crate::failure::Failure;

/// The datetime types and the unbound methods we call on them.
struct DateApi {
    date: Py<PyType>,
    datetime: Py<PyType>,
    date_reduce: Py<PyAny>,
    datetime_reduce: Py<PyAny>,
    datetime_utcoffset: Py<PyAny>,
    timedelta_reduce: Py<PyAny>,
}

static DATE_API: PyOnceLock<DateApi> = PyOnceLock::new();

fn date_api(py: Python<'_>) -> PyResult<&DateApi> {
    DATE_API.get_or_try_init(py, || {
        // The C module, not `datetime`: test helpers (freezegun) replace `datetime.datetime`
        // with a subclass, and real datetimes must still be recognised.
        let module = py.import("_datetime").or_else(|_| py.import("datetime"))?;
        let date = module.getattr("date")?.cast_into::<PyType>()?;
        let datetime = module.getattr("datetime")?.cast_into::<PyType>()?;
        let timedelta = module.getattr("timedelta")?.cast_into::<PyType>()?;
        let reduce = intern!(py, "__reduce__");
        Ok(DateApi {
            date_reduce: date.getattr(reduce)?.unbind(),
            datetime_reduce: datetime.getattr(reduce)?.unbind(),
            datetime_utcoffset: datetime.getattr("utcoffset")?.unbind(),
            timedelta_reduce: timedelta.getattr(reduce)?.unbind(),
            date: date.unbind(),
            datetime: datetime.unbind(),
        })
    })
}

/// Imports the datetime types now (see `render::capture_at_load`).
pub fn preload(py: Python<'_>) -> PyResult<()> {
    date_api(py).map(|_| ())
}

fn is_instance(value: &Bound<'_, PyAny>, of: &Py<PyType>) -> bool {
    // SAFETY: both are live objects and the GIL is held. The type's real bases are
    // checked (no `__class__` or `__instancecheck__` can lie).
    unsafe { ffi::PyType_IsSubtype(ffi::Py_TYPE(value.as_ptr()), of.as_ptr().cast()) != 0 }
}

/// `Some` for a date or datetime (a naive datetime is an error), `None` for anything else.
pub fn hold_date_or_time(
    value: &Bound<'_, PyAny>,
    field: &dyn Fn() -> Field,
) -> Option<Result<TraitValue<'static>, Failure>> {
    let py = value.py();
    let api = match date_api(py) {
        Ok(api) => api,
        Err(error) => return Some(Err(error.into())),
    };
    if is_instance(value, &api.datetime) {
        return Some(timestamp(api, value, field));
    }
    if is_instance(value, &api.date) {
        return Some(date(api, value));
    }
    None
}

fn date(api: &DateApi, value: &Bound<'_, PyAny>) -> Result<TraitValue<'static>, Failure> {
    let state = packed_state(&api.date_reduce, value)?;
    let [year_high, year_low, month, day, ..] = *state.as_slice() else {
        return Err(Failure::Type("the date's packed state is too short".into()));
    };
    Ok(TraitValue::Date {
        year: i32::from(year_high) << 8 | i32::from(year_low),
        month: u32::from(month),
        day: u32::from(day),
    })
}

/// Whole seconds since the epoch, floored, of an aware datetime.
fn timestamp(
    api: &DateApi,
    value: &Bound<'_, PyAny>,
    field: &dyn Fn() -> Field,
) -> Result<TraitValue<'static>, Failure> {
    let py = value.py();
    let state = packed_state(&api.datetime_reduce, value)?;
    let [year_high, year_low, month, day, hour, minute, second, micro_high, micro_mid, micro_low, ..] =
        *state.as_slice()
    else {
        return Err(Failure::Type("the datetime's packed state is too short".into()));
    };
    // The tzinfo decides the offset (and so whether the datetime is aware), asked once.
    let offset = api.datetime_utcoffset.bind(py).call1((value,))?;
    if offset.is_none() {
        return Err(Error::trait_problem(field(), TraitProblem::NaiveDateTime).into());
    }
    let reduced = api.timedelta_reduce.bind(py).call1((offset,))?;
    let (offset_days, offset_seconds, offset_micros): (i64, i64, i64) =
        reduced.cast_into::<PyTuple>().map_err(PyErr::from)?.get_item(1)?.extract()?;
    // The high bit of the month byte is `fold`, which only the tzinfo reads.
    let days =
        days_from_civil(i64::from(year_high) << 8 | i64::from(year_low), i64::from(month & 0x7f), i64::from(day));
    let local_seconds = days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
    let micros = i64::from(micro_high) << 16 | i64::from(micro_mid) << 8 | i64::from(micro_low);
    let offset_total = (offset_days * 86_400 + offset_seconds) * 1_000_000 + offset_micros;
    // Years 1..=9999 in microseconds stay far inside i64; the offset is under a day.
    let utc_micros = local_seconds * 1_000_000 + micros - offset_total;
    Ok(TraitValue::Timestamp(utc_micros.div_euclid(1_000_000)))
}

/// The bytes `date.__reduce__` / `datetime.__reduce__` pack the fields into.
fn packed_state(reduce: &Py<PyAny>, value: &Bound<'_, PyAny>) -> Result<Vec<u8>, Failure> {
    let py = value.py();
    let reduced = reduce.bind(py).call1((value,))?.cast_into::<PyTuple>().map_err(PyErr::from)?;
    let arguments = reduced.get_item(1)?.cast_into::<PyTuple>().map_err(PyErr::from)?;
    let state = arguments.get_item(0)?.cast_into::<PyBytes>().map_err(PyErr::from)?;
    Ok(state.as_bytes().to_vec())
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::days_from_civil;

    #[test]
    fn known_days() {
        // Values from Python's `date(Y, M, D).toordinal() - date(1970, 1, 1).toordinal()`.
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1, 1, 1), -719_162);
        assert_eq!(days_from_civil(9999, 12, 31), 2_932_896);
    }
}
