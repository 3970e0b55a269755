//! Date, DateTime and Time trait values, read through `Date#jd`,
//! `Date#start`, `DateTime#strftime` and `Time#to_i` as they were when the
//! gem loaded, called through a captured `UnboundMethod#bind_call`: neither
//! a subclass overriding `year`, `strftime` or `to_i` nor a later monkeypatch
//! changes what is rendered.
//!
//! Dates and DateTimes are rendered from their civil fields, as `iso8601`
//! shows them (Ruby's default calendar is Julian before 1582-10-15, so an
//! old Date keeps the day it was written with); a Time is its instant.

use std::sync::OnceLock;

use magnus::rb_sys::{protect, AsRawValue, FromRawValue};
use magnus::value::Opaque;
use magnus::{gc, prelude::*, Error, Fixnum, Float, RBignum, RClass, RString, Ruby, Value};

/// A calendar date or an instant, as the core takes them.
#[derive(Clone, Copy)]
pub enum Moment {
    /// Parts beyond the core's types are saturated (the core refuses them).
    Date { year: i32, month: u32, day: u32 },
    /// Whole seconds since the epoch, floored; saturated when beyond i64 (the core refuses it).
    Timestamp(i64),
}

struct Captured {
    date: Opaque<RClass>,
    date_time: Opaque<RClass>,
    /// `bind_call` bound to `Date#jd`, `Date#start`, `DateTime#strftime` and `Time#to_i`.
    date_jd: Opaque<Value>,
    date_start: Opaque<Value>,
    date_time_strftime: Opaque<Value>,
    time_to_i: Opaque<Value>,
    date_time_format: Opaque<RString>,
}

static CAPTURED: OnceLock<Captured> = OnceLock::new();

/// Loads `date` and captures the methods above (once per process).
pub fn capture(ruby: &Ruby) -> Result<(), Error> {
    if CAPTURED.get().is_some() {
        return Ok(());
    }
    ruby.require("date")?;
    let object = ruby.class_object();
    let date: RClass = object.const_get("Date")?;
    let date_time: RClass = object.const_get("DateTime")?;
    let unbound: RClass = object.const_get("UnboundMethod")?;
    let bind_call: Value = unbound.funcall("instance_method", (ruby.to_symbol("bind_call"),))?;
    let bound = |class: RClass, name: &str| -> Result<Opaque<Value>, Error> {
        let method: Value = class.funcall("instance_method", (ruby.to_symbol(name),))?;
        let call: Value = bind_call.funcall("bind", (method,))?;
        gc::register_mark_object(call);
        Ok(call.into())
    };
    let format = |text: &str| {
        let format = ruby.str_new(text);
        format.freeze();
        gc::register_mark_object(format);
        Opaque::from(format)
    };
    gc::register_mark_object(date);
    gc::register_mark_object(date_time);
    let captured = Captured {
        date: date.into(),
        date_time: date_time.into(),
        date_jd: bound(date, "jd")?,
        date_start: bound(date, "start")?,
        date_time_strftime: bound(date_time, "strftime")?,
        time_to_i: bound(ruby.class_time(), "to_i")?,
        // `%::z` is the offset with seconds, e.g. `+05:30:00`.
        date_time_format: format("%Y %m %d %H %M %S %::z"),
    };
    // Only the first capture counts; extensions load under the GVL.
    let _ = CAPTURED.set(captured);
    Ok(())
}

/// The value as a date or an instant, `None` if it is neither a Time, a DateTime nor a Date.
pub fn read_moment(ruby: &Ruby, value: Value) -> Result<Option<Moment>, Error> {
    let Some(captured) = CAPTURED.get() else {
        return Err(Error::new(
            ruby.exception_runtime_error(),
            "refiner_identity: Date methods were not captured (a bug)",
        ));
    };
    if value.is_kind_of(ruby.class_time()) {
        let seconds = call(ruby.get_inner(captured.time_to_i), value, None)?;
        return Ok(Some(Moment::Timestamp(saturating_i64(seconds))));
    }
    if !value.is_kind_of(ruby.get_inner(captured.date)) {
        return Ok(None);
    }
    if !value.is_kind_of(ruby.get_inner(captured.date_time)) {
        // Two cheap calls instead of formatting: the day number and the calendar reform it uses.
        let day_number = saturating_i64(call(ruby.get_inner(captured.date_jd), value, None)?);
        let start = call(ruby.get_inner(captured.date_start), value, None)?;
        let start = Float::from_value(start).map_or(f64::NAN, |start| start.to_f64());
        let julian = (day_number as f64) < start;
        let (year, month, day) = civil_from_day_number(day_number, julian);
        return Ok(Some(Moment::Date { year: clamp(year), month: clamp(month), day: clamp(day) }));
    }
    let format = ruby.get_inner(captured.date_time_format).as_value();
    let text = call(ruby.get_inner(captured.date_time_strftime), value, Some(format))?;
    let Some(text) = RString::from_value(text) else {
        return Err(Error::new(
            ruby.exception_runtime_error(),
            "refiner_identity: DateTime#strftime returned no String",
        ));
    };
    // SAFETY: parsed before any other Ruby call.
    let fields = parse_fields(unsafe { text.as_slice() });
    Ok(Some(match fields[..] {
        // A Julian leap day the Gregorian calendar lacks is no instant SPEC.md can write (as for a Date).
        [year, month, day, ..] if day > gregorian_month_length(year, month) => Moment::Timestamp(i64::MIN),
        [year, month, day, hour, minute, second, offset] => {
            let time_of_day =
                hour.saturating_mul(3600).saturating_add(minute.saturating_mul(60)).saturating_add(second);
            Moment::Timestamp(civil_seconds(year, month, day).saturating_add(time_of_day).saturating_sub(offset))
        }
        // Unreachable with the captured format; refused as out of range rather than guessed.
        _ => Moment::Timestamp(i64::MIN),
    }))
}

fn gregorian_month_length(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The civil date of a chronological Julian Day Number, in the Julian or the
/// proleptic Gregorian calendar (as Date#year, #mon, #mday give it).
fn civil_from_day_number(day_number: i64, julian: bool) -> (i64, i64, i64) {
    // Far outside years 1..9999 either way; bounded so the arithmetic cannot overflow.
    let day_number = day_number.clamp(-1_000_000_000, 1_000_000_000);
    if julian {
        let c = day_number + 32_082;
        let d = (4 * c + 3).div_euclid(1461);
        let e = c - (1461 * d).div_euclid(4);
        let m = (5 * e + 2).div_euclid(153);
        let day = e - (153 * m + 2).div_euclid(5) + 1;
        return (d - 4800 + m.div_euclid(10), m + 3 - 12 * m.div_euclid(10), day);
    }
    // Julian Day 2440588 is 1970-01-01.
    let (year, month, day) = refiner_identity::civil_from_days(day_number - 2_440_588);
    (year, i64::from(month), i64::from(day))
}

/// Calls a captured `bind_call` Method through the C API: `receiver`, then `argument`.
fn call(method: Value, receiver: Value, argument: Option<Value>) -> Result<Value, Error> {
    let args = [receiver.as_raw(), argument.unwrap_or(receiver).as_raw()];
    let count = if argument.is_some() { 2 } else { 1 };
    // SAFETY: `method` is a live Method object and `args` outlives the call.
    let result = protect(|| unsafe { rb_sys::rb_method_call(count, args.as_ptr(), method.as_raw()) })?;
    // SAFETY: returned by Ruby just now and kept on this stack.
    Ok(unsafe { Value::from_raw(result) })
}

/// An Integer as i64, saturated by sign when it is a Bignum beyond i64 (so the core refuses it).
fn saturating_i64(value: Value) -> i64 {
    if let Some(small) = Fixnum::from_value(value) {
        return small.to_i64();
    }
    match RBignum::from_value(value) {
        Some(big) => big.to_i64().unwrap_or(if big.is_negative() { i64::MIN } else { i64::MAX }),
        None => i64::MIN,
    }
}

/// The space-separated numbers of the captured formats; an offset `+hh:mm:ss` becomes seconds.
/// A number too long for i64 (a huge year) saturates by sign.
fn parse_fields(text: &[u8]) -> Vec<i64> {
    let number = |field: &str| match field.parse::<i64>() {
        Ok(value) => value,
        Err(_) if field.starts_with('-') => i64::MIN / 2,
        Err(_) => i64::MAX / 2,
    };
    let text = String::from_utf8_lossy(text);
    text.split(' ')
        .map(|field| match field.strip_prefix(['+', '-']).map(|rest| rest.split(':').collect::<Vec<_>>()) {
            Some(parts) if parts.len() == 3 => {
                let seconds = number(parts[0])
                    .saturating_mul(3600)
                    .saturating_add(number(parts[1]).saturating_mul(60))
                    .saturating_add(number(parts[2]));
                if field.starts_with('-') {
                    -seconds
                } else {
                    seconds
                }
            }
            _ => number(field),
        })
        .collect()
}

fn clamp<T: TryFrom<i64> + Bounded>(value: i64) -> T {
    T::try_from(value).unwrap_or(if value < 0 { T::MIN } else { T::MAX })
}

/// Seconds from 1970-01-01 to 00:00 of a proleptic Gregorian date (Howard
/// Hinnant's `days_from_civil`); years far outside 1..9999 saturate.
fn civil_seconds(year: i64, month: i64, day: i64) -> i64 {
    let year = year.clamp(-1_000_000, 1_000_000) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let (month, day) = (month.clamp(-100, 100), day.clamp(-100, 100));
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era - 719_468) * 86_400
}

trait Bounded {
    const MIN: Self;
    const MAX: Self;
}

impl Bounded for i32 {
    const MIN: Self = i32::MIN;
    const MAX: Self = i32::MAX;
}

impl Bounded for u32 {
    const MIN: Self = 0;
    const MAX: Self = u32::MAX;
}
