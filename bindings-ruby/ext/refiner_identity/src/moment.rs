//! Date, DateTime and Time trait values. Their fields are read through Date's
//! and Time's own methods, captured when the gem loads and called through a
//! captured `UnboundMethod#bind_call`, so neither a subclass overriding `year`
//! or `to_i` nor a later monkeypatch changes what is rendered.

use std::sync::OnceLock;

use magnus::rb_sys::{protect, AsRawValue, FromRawValue};
use magnus::value::Opaque;
use magnus::{gc, prelude::*, Error, Fixnum, RBignum, RClass, RString, Ruby, Value};

/// A calendar date or an instant, as the core takes them.
#[derive(Clone, Copy)]
pub enum Moment {
    Date { year: i32, month: u32, day: u32 },
    /// Whole seconds since the epoch, floored; saturated when beyond i64 (the core refuses it).
    Timestamp(i64),
}

struct Captured {
    date: Opaque<RClass>,
    date_time: Opaque<RClass>,
    /// `bind_call` bound to `Date#year`, `Date#mon`, `Date#mday`, `DateTime#strftime`, `Time#to_i`.
    year: Opaque<Value>,
    month: Opaque<Value>,
    day: Opaque<Value>,
    strftime: Opaque<Value>,
    time_to_i: Opaque<Value>,
    /// `"%s"`: seconds since the epoch, floored, as DateTime#strftime writes them.
    seconds_format: Opaque<RString>,
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
    let seconds_format = ruby.str_new("%s");
    seconds_format.freeze();
    gc::register_mark_object(seconds_format);
    gc::register_mark_object(date);
    gc::register_mark_object(date_time);
    let captured = Captured {
        date: date.into(),
        date_time: date_time.into(),
        year: bound(date, "year")?,
        month: bound(date, "mon")?,
        day: bound(date, "mday")?,
        strftime: bound(date_time, "strftime")?,
        time_to_i: bound(ruby.class_time(), "to_i")?,
        seconds_format: seconds_format.into(),
    };
    // Another thread cannot get here first: extensions load under the GVL.
    let _ = CAPTURED.set(captured);
    Ok(())
}

/// The value as a date or an instant, `None` if it is neither a Time, a DateTime nor a Date.
pub fn read_moment(ruby: &Ruby, value: Value) -> Result<Option<Moment>, Error> {
    let Some(captured) = CAPTURED.get() else {
        return Err(Error::new(ruby.exception_runtime_error(), "refiner_identity: Date methods were not captured (a bug)"));
    };
    if value.is_kind_of(ruby.class_time()) {
        let seconds = call(ruby.get_inner(captured.time_to_i), &[value])?;
        return Ok(Some(Moment::Timestamp(saturating_i64(seconds))));
    }
    if value.is_kind_of(ruby.get_inner(captured.date_time)) {
        let format = ruby.get_inner(captured.seconds_format).as_value();
        let text = call(ruby.get_inner(captured.strftime), &[value, format])?;
        return Ok(Some(Moment::Timestamp(parse_seconds(text))));
    }
    if value.is_kind_of(ruby.get_inner(captured.date)) {
        let year = saturating_i64(call(ruby.get_inner(captured.year), &[value])?);
        let month = saturating_i64(call(ruby.get_inner(captured.month), &[value])?);
        let day = saturating_i64(call(ruby.get_inner(captured.day), &[value])?);
        // Out-of-range parts stay out of range (the core refuses them), never wrap into range.
        let clamp = |part: i64| u32::try_from(part).unwrap_or(0);
        let year = i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX });
        return Ok(Some(Moment::Date { year, month: clamp(month), day: clamp(day) }));
    }
    Ok(None)
}

/// Calls a captured `bind_call` Method with `args` (receiver first) through the C API.
fn call(method: Value, args: &[Value]) -> Result<Value, Error> {
    let raw: Vec<_> = args.iter().map(|arg| arg.as_raw()).collect();
    let count = raw.len() as std::os::raw::c_int;
    // SAFETY: `method` is a live Method object and `raw` outlives the call.
    let result = protect(|| unsafe { rb_sys::rb_method_call(count, raw.as_ptr(), method.as_raw()) })?;
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

/// `strftime("%s")` output: an optional `-` and digits; anything longer than i64 saturates.
fn parse_seconds(text: Value) -> i64 {
    let Some(text) = RString::from_value(text) else { return i64::MIN };
    // SAFETY: read before any other Ruby call.
    let bytes = unsafe { text.as_slice() };
    match std::str::from_utf8(bytes).ok().and_then(|digits| digits.parse::<i64>().ok()) {
        Some(seconds) => seconds,
        None if bytes.first() == Some(&b'-') => i64::MIN,
        None => i64::MAX,
    }
}
