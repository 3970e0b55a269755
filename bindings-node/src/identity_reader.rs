//! Reads the renderers' JavaScript arguments into `Identities` (SPEC.md
//! section 9): each property of an identity object is read once, among its
//! own enumerable string keys (never from its prototype); traits are a plain
//! object or a Map, read in insertion order through built-ins captured at load.

use napi::bindgen_prelude::Unknown;
use refiner_identity::{Error, Field, OptionProblem, TraitProblem, TraitValue};

use crate::error::Failure;
use crate::identity::{Identities, Item, Span, TagSpans, Value};
use crate::intrinsics::{self, Intrinsic};
use crate::raw_js::{Js, Kind, Value as JsValue};
use crate::user_id::HeldUserId;

/// The keys a renderer accepts in its identity object.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// `{ id, email, name, traits }`
    Identity,
    /// ... plus `nonce`
    Script,
    /// ... plus `locale`, `tags`, `response`
    Link,
}

const KEY_NAMES: [&str; 8] = ["id", "email", "name", "traits", "nonce", "locale", "tags", "response"];

impl Keys {
    fn accepts(self, key: usize) -> bool {
        match self {
            Keys::Identity => key < 4,
            Keys::Script => key < 5,
            Keys::Link => key != 4,
        }
    }

    fn listed(self) -> String {
        let names: Vec<&str> =
            (0..KEY_NAMES.len()).filter(|&key| self.accepts(key)).map(|key| KEY_NAMES[key]).collect();
        names.join(", ")
    }
}

/// Largest safe integer of JavaScript numbers.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

pub struct Reader<'s> {
    js: Js,
    store: &'s mut Identities,
    key: String,
}

impl<'s> Reader<'s> {
    pub fn new(js: Js, store: &'s mut Identities) -> Self {
        Reader { js, store, key: String::with_capacity(16) }
    }

    /// Reads one identity object (`label` names it in TypeErrors, e.g. `identities[3]`).
    pub fn read(&mut self, object: JsValue, keys: Keys, label: &dyn Fn() -> String) -> Result<(), Failure> {
        let js = self.js;
        if js.kind(object)? != Kind::Object || js.is_array(object)? {
            return Err(Failure::WrongType(format!(
                "{} must be an object such as {{ {} }}; received {}",
                label(),
                keys.listed(),
                describe(js, object)?
            )));
        }
        let mut slots: [Option<JsValue>; KEY_NAMES.len()] = [None; KEY_NAMES.len()];
        let names = js.own_keys(object)?;
        for position in 0..js.array_length(names)? {
            let name = js.element(names, position)?;
            self.key.clear();
            js.read_text(name, &mut self.key)?;
            match KEY_NAMES.iter().position(|known| *known == self.key).filter(|&key| keys.accepts(key)) {
                Some(key) => slots[key] = Some(js.get(object, name)?),
                None => {
                    return Err(Failure::WrongType(format!(
                        "{} has an unknown key {}; the keys are {}",
                        label(),
                        shown(&self.key),
                        keys.listed()
                    )))
                }
            }
        }
        let undefined = js.undefined()?;
        let [id, email, name, traits, nonce, locale, tags, response] = slots;
        // SAFETY: the value belongs to this call's env and lives as long as its handle scope.
        let id = unsafe { Unknown::from_raw_unchecked(js.env, id.unwrap_or(undefined)) };
        let id = HeldUserId::read(id, &|| format!("{}.id", label()))?;
        let id = self.store.push_id(id.as_user_id());
        let email = self.optional_text(email, || Field::Email)?;
        let name = self.optional_text(name, || Field::Name)?;
        let traits = self.named_values(traits, Field::Trait, &|| format!("{}.traits", label()))?;
        let nonce = self.option_text(nonce, || Field::Nonce)?;
        let locale = self.option_text(locale, || Field::Locale)?;
        let tags = self.tags(tags)?;
        let response = self.named_values(response, Field::Response, &|| format!("{}.response", label()))?;
        self.store.push_item(Item { id, email, name, traits, nonce, locale, tags, response });
        Ok(())
    }

    /// `email` / `name`: text, or null/undefined for none.
    fn optional_text(&mut self, value: Option<JsValue>, field: impl Fn() -> Field) -> Result<Option<Span>, Failure> {
        let Some(value) = value else { return Ok(None) };
        match self.js.kind(value)? {
            Kind::Missing => Ok(None),
            Kind::String => Ok(Some(self.text(value)?)),
            _ => Err(Error::trait_problem(field(), TraitProblem::UnsupportedType(describe(self.js, value)?)).into()),
        }
    }

    /// `nonce` / `locale`: text, or null/undefined for none.
    fn option_text(&mut self, value: Option<JsValue>, field: impl Fn() -> Field) -> Result<Option<Span>, Failure> {
        let Some(value) = value else { return Ok(None) };
        match self.js.kind(value)? {
            Kind::Missing => Ok(None),
            Kind::String => Ok(Some(self.text(value)?)),
            _ => Err(unsupported_option(field(), "a string", describe(self.js, value)?)),
        }
    }

    /// `tags`: a string, or an array of strings.
    fn tags(&mut self, value: Option<JsValue>) -> Result<Option<TagSpans>, Failure> {
        let js = self.js;
        let Some(value) = value else { return Ok(None) };
        match js.kind(value)? {
            Kind::Missing => Ok(None),
            Kind::String => Ok(Some(TagSpans::Joined(self.text(value)?))),
            Kind::Object if js.is_array(value)? => {
                let start = self.store.tag_count();
                for index in 0..js.array_length(value)? {
                    let tag = js.element(value, index)?;
                    if js.kind(tag)? != Kind::String {
                        return Err(unsupported_option(Field::Tag(index as usize), "a string", describe(js, tag)?));
                    }
                    let span = self.text(tag)?;
                    self.store.push_tag(span);
                }
                Ok(Some(TagSpans::List(start..self.store.tag_count())))
            }
            _ => Err(unsupported_option(Field::Tags, "a string or an array of strings", describe(js, value)?)),
        }
    }

    /// Traits or response values: a plain object (own enumerable string keys)
    /// or a Map (its entries), in insertion order; null/undefined for none.
    fn named_values(
        &mut self,
        value: Option<JsValue>,
        field: fn(String) -> Field,
        label: &dyn Fn() -> String,
    ) -> Result<std::ops::Range<usize>, Failure> {
        let js = self.js;
        let start = self.store.value_count();
        let Some(container) = value else { return Ok(start..start) };
        let wrong = |got: String| {
            Failure::WrongType(format!("{} must be a plain object or a Map of name to value; received {got}", label()))
        };
        match js.kind(container)? {
            Kind::Missing => return Ok(start..start),
            Kind::Object => {}
            _ => return Err(wrong(describe(js, container)?)),
        }
        if js.is_array(container)? || js.is_date(container)? || js.is_typed_array(container)? {
            return Err(wrong(describe(js, container)?));
        }
        let keys = js.own_keys(container)?;
        let key_count = js.array_length(keys)?;
        // Objects made by `{...}` (of this realm) skip the Map brand check; so
        // does any object with keys of its own unless its prototype is unusual.
        let plain = key_count > 0 && self.has_plain_prototype(container)?;
        if !plain && intrinsics::is_map(js, container)? {
            self.map_entries(container, field)?;
        } else {
            for position in 0..key_count {
                let key = js.element(keys, position)?;
                let name = self.text(key)?;
                let item = js.get(container, key)?;
                self.push_named(name, item, field)?;
            }
        }
        Ok(start..self.store.value_count())
    }

    fn has_plain_prototype(&self, object: JsValue) -> napi::Result<bool> {
        let prototype = self.js.prototype(object)?;
        Ok(self.js.kind(prototype)? == Kind::Missing
            || self.js.same(prototype, intrinsics::get(self.js, Intrinsic::ObjectPrototype)?)?)
    }

    /// A Map's entries through the `entries` and iterator `next` of module load.
    fn map_entries(&mut self, map: JsValue, field: fn(String) -> Field) -> Result<(), Failure> {
        let js = self.js;
        let iterator = js.call(intrinsics::get(js, Intrinsic::MapEntries)?, map, &[])?;
        let next = intrinsics::get(js, Intrinsic::MapIteratorNext)?;
        loop {
            // Iterator results and entry pairs are fresh built-in objects: their
            // own data properties are read, never anything inherited.
            let step = js.call(next, iterator, &[])?;
            if js.boolean(js.get_named(step, c"done")?)? {
                return Ok(());
            }
            let pair = js.get_named(step, c"value")?;
            let (key, item) = (js.element(pair, 0)?, js.element(pair, 1)?);
            if js.kind(key)? != Kind::String {
                let shown = format!("<{} key>", describe(js, key)?);
                return Err(Error::trait_problem(field(shown), TraitProblem::BadName).into());
            }
            let name = self.text(key)?;
            self.push_named(name, item, field)?;
        }
    }

    /// Converts one value; null/undefined leaves the name out.
    fn push_named(&mut self, name: Span, item: JsValue, field: fn(String) -> Field) -> Result<(), Failure> {
        let js = self.js;
        let value = match js.kind(item)? {
            Kind::Missing => None,
            Kind::String => Some(Value::Text(self.text(item)?)),
            Kind::Number => {
                Some(Value::Plain(integer(js.number(item)?).map_err(|got| self.named_error(name, field, got))?))
            }
            Kind::BigInt => {
                // Beyond i64 is far outside Refiner's range: the core says so.
                let value = js.bigint_i64(item)?.map_or(i128::MAX, i128::from);
                Some(Value::Plain(TraitValue::Integer(value)))
            }
            Kind::Object if js.is_date(item)? => {
                let millis = js.date_millis(item)?;
                if millis.is_nan() {
                    return Err(self.named_error(name, field, "an invalid Date (its time is NaN)".into()));
                }
                // A valid time value is an integer of at most 8.64e15 ms: exact as i64,
                // and floored in integers (a float division could round up).
                Some(Value::Plain(TraitValue::Timestamp((millis as i64).div_euclid(1000))))
            }
            _ => {
                let got = describe(js, item)?;
                return Err(self.named_error(name, field, got));
            }
        };
        match value {
            Some(value) => self.store.push_value(name, value),
            None => self.store.drop_text_from(name),
        }
        Ok(())
    }

    fn named_error(&self, name: Span, field: fn(String) -> Field, got: String) -> Failure {
        let name = self.store.text_of(name).to_owned();
        Error::trait_problem(field(name), TraitProblem::UnsupportedType(got)).into()
    }

    fn text(&mut self, string: JsValue) -> napi::Result<Span> {
        let js = self.js;
        self.store.push_text_with(|out| js.read_text(string, out))
    }
}

/// A number as a trait integer: integral numbers go to the core (which checks
/// Refiner's range); fractions, NaN and infinities are refused here.
fn integer(number: f64) -> Result<TraitValue<'static>, String> {
    if number.is_finite() && number.trunc() == number {
        // Beyond the safe range a number is far outside Refiner's range: the core says so.
        let value = if number.abs() <= MAX_SAFE_INTEGER { number as i128 } else { i128::MAX };
        Ok(TraitValue::Integer(value))
    } else {
        Err(format!("the number {} (only integers are accepted)", describe_number(number)))
    }
}

fn unsupported_option(field: Field, expected: &'static str, got: String) -> Failure {
    Error::option(field, OptionProblem::UnsupportedType { expected, got }).into()
}

/// The JavaScript type of a value, for messages ("a boolean", "an array").
pub fn describe(js: Js, value: JsValue) -> napi::Result<String> {
    Ok(match js.kind(value)? {
        Kind::Missing => {
            if js.is_undefined(value)? {
                "undefined"
            } else {
                "null"
            }
        }
        Kind::Boolean => "a boolean",
        Kind::Number => return Ok(format!("the number {}", describe_number(js.number(value)?))),
        Kind::String => "a string",
        Kind::Symbol => "a symbol",
        Kind::Function => "a function",
        Kind::BigInt => "a bigint",
        Kind::Object if js.is_array(value)? => "an array",
        Kind::Object if js.is_date(value)? => "a Date",
        Kind::Object if js.is_typed_array(value)? => "a typed array",
        Kind::Object if intrinsics::is_map(js, value)? => "a Map",
        Kind::Object => "an object",
        Kind::Other => "an unsupported value",
    }
    .to_owned())
}

fn describe_number(number: f64) -> String {
    if number.is_nan() {
        "NaN".into()
    } else if number.is_infinite() {
        if number > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        number.to_string()
    }
}

/// A key as shown in a message: quoted, escaped and shortened.
fn shown(key: &str) -> String {
    const SHOWN: usize = 60;
    let cut: String = key.chars().take(SHOWN).collect();
    if cut.len() < key.len() {
        format!("{cut:?}...")
    } else {
        format!("{cut:?}")
    }
}
