//! The user a renderer identifies, read from Python (SPEC.md section 9): the id
//! through the binding's one user-id conversion, text through the C API, and
//! trait dicts through `PyDict_Next` (so a dict subclass's `items`, `__iter__` or
//! `__getitem__` are never called), each read once, in insertion order. An
//! `OrderedDict` (or subclass) keeps its own order (`move_to_end` counts), read
//! by OrderedDict's C iteration, whatever a subclass overrides.
//!
//! Containers are copied out first (a snapshot of references, with no Python
//! code running); converting a value may run Python code (a tzinfo), which then
//! cannot change what is read. The core's values borrow from the snapshot.

use std::collections::HashMap;

use pyo3::exceptions::PyValueError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyInt, PyString, PyType};
use refiner_identity::{Error, ErrorKind, Field, Identity, IntegerId, Trait, TraitProblem, TraitValue, UserId};

use crate::dates::hold_date_or_time;
use crate::failure::{type_name, Failure, LONE_SURROGATE};
use crate::integer::hold_integer;

/// A dict's items, in insertion order.
pub type Items<'py> = Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>;

/// The keyword arguments every renderer takes for the identity.
pub struct IdentityArgs<'a, 'py> {
    pub user_id: &'a Bound<'py, PyAny>,
    pub email: Option<&'a Bound<'py, PyAny>>,
    pub name: Option<&'a Bound<'py, PyAny>>,
    pub traits: Option<&'a Bound<'py, PyAny>>,
}

/// An identity's fields besides its id, converted from Python.
pub struct Contact<'a> {
    email: Option<&'a str>,
    name: Option<&'a str>,
    traits: Vec<Trait<'a>>,
}

impl<'a> Contact<'a> {
    /// Email and name (str or None), and the traits copied out of their dict.
    pub fn read(
        email: Option<&'a Bound<'_, PyAny>>,
        name: Option<&'a Bound<'_, PyAny>>,
        traits: &'a Items<'_>,
    ) -> Result<Self, Failure> {
        Ok(Contact {
            email: hold_optional_text(email, Field::Email)?,
            name: hold_optional_text(name, Field::Name)?,
            traits: hold_traits(traits, Field::Trait, "trait")?,
        })
    }

    pub fn with_id(self, id: UserId<'a>) -> Identity<'a> {
        Identity { id, email: self.email, name: self.name, traits: self.traits }
    }
}

/// `None` for an absent argument or a Python `None` (both leave the field out).
pub fn present<'a, 'py>(value: Option<&'a Bound<'py, PyAny>>) -> Option<&'a Bound<'py, PyAny>> {
    value.filter(|value| !value.is_none())
}

/// `collections.OrderedDict` and its own `__iter__`, taken when the module loads.
struct OrderedDictApi {
    class: Py<PyType>,
    iter: Py<PyAny>,
}

static ORDERED_DICT: PyOnceLock<OrderedDictApi> = PyOnceLock::new();

fn ordered_dict_api(py: Python<'_>) -> PyResult<&OrderedDictApi> {
    ORDERED_DICT.get_or_try_init(py, || {
        let class = py.import("collections")?.getattr("OrderedDict")?.cast_into::<PyType>()?;
        Ok(OrderedDictApi { iter: class.getattr("__iter__")?.unbind(), class: class.unbind() })
    })
}

/// Takes OrderedDict now (see `render::capture_at_load`).
pub fn preload(py: Python<'_>) -> PyResult<()> {
    ordered_dict_api(py).map(|_| ())
}

/// The items of `traits` (or `response`): a dict or None. `what` names it in a TypeError.
/// A dict (or subclass) in its stored insertion order; an OrderedDict in its own order.
pub fn snapshot_dict<'py>(value: Option<&Bound<'py, PyAny>>, what: &str) -> Result<Items<'py>, Failure> {
    let Some(value) = present(value) else { return Ok(Vec::new()) };
    let Ok(dict) = value.cast::<PyDict>() else {
        return Err(Failure::Type(format!("{what} must be a dict, not {}", type_name(value))));
    };
    if dict.is_exact_instance_of::<PyDict>() {
        return Ok(dict.iter().collect());
    }
    let api = ordered_dict_api(dict.py())?;
    // SAFETY: both are live objects and the GIL is held. The type's real bases are
    // checked (no `__class__` or `__instancecheck__` can lie).
    if unsafe { ffi::PyType_IsSubtype(ffi::Py_TYPE(dict.as_ptr()), api.class.as_ptr().cast()) } == 0 {
        return Ok(dict.iter().collect());
    }
    in_ordered_dict_order(dict, api, what)
}

/// An OrderedDict's items in its own order: its keys from OrderedDict's C iteration
/// (a subclass's `__iter__`, `keys` or `items` are not called), then the items
/// through `PyDict_Next`, after any Python code (a key's `__hash__`) has run.
/// Both reads must name the same key objects, each once.
fn in_ordered_dict_order<'py>(
    dict: &Bound<'py, PyDict>,
    api: &OrderedDictApi,
    what: &str,
) -> Result<Items<'py>, Failure> {
    let py = dict.py();
    let keys = api.iter.bind(py).call1((dict,))?.try_iter()?.collect::<PyResult<Vec<Bound<'py, PyAny>>>>()?;
    let mut items: Vec<Option<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> = dict.iter().map(Some).collect();
    let changed = || {
        Failure::Python(PyValueError::new_err(format!(
            "{what}: this OrderedDict's order does not match its items (it changed while it was read)"
        )))
    };
    if keys.len() != items.len() {
        return Err(changed());
    }
    let index: HashMap<*mut ffi::PyObject, usize> =
        items.iter().enumerate().filter_map(|(at, item)| Some((item.as_ref()?.0.as_ptr(), at))).collect();
    let mut ordered = Vec::with_capacity(keys.len());
    for key in &keys {
        let item = index.get(&key.as_ptr()).and_then(|&at| items.get_mut(at)).and_then(Option::take);
        ordered.push(item.ok_or_else(changed)?);
    }
    Ok(ordered)
}

/// A str's UTF-8, borrowed from the str; `invalid` words the error for a lone surrogate.
pub fn hold_str<'a>(text: &'a Bound<'_, PyString>, invalid: impl FnOnce() -> Failure) -> Result<&'a str, Failure> {
    // A fresh error, not the UnicodeEncodeError: that one would carry the whole text.
    text.to_str().map_err(|_| invalid())
}

/// Email or name: str or None.
fn hold_optional_text<'a>(value: Option<&'a Bound<'_, PyAny>>, field: Field) -> Result<Option<&'a str>, Failure> {
    let Some(value) = present(value) else { return Ok(None) };
    match value.cast::<PyString>() {
        Ok(text) => {
            hold_str(text, || Failure::Invalid(ErrorKind::InvalidTrait, format!("invalid {field}: {LONE_SURROGATE}")))
                .map(Some)
        }
        Err(_) => Err(Error::trait_problem(field, TraitProblem::UnsupportedType(type_name(value))).into()),
    }
}

/// Traits (or a survey link's response values) from a dict's items; `None` values are left out.
pub fn hold_traits<'a>(
    items: &'a Items<'_>,
    field: fn(String) -> Field,
    what: &str,
) -> Result<Vec<Trait<'a>>, Failure> {
    let mut traits = Vec::with_capacity(items.len());
    for (key, value) in items {
        let name = match key.cast::<PyString>() {
            Ok(name) => hold_str(name, || {
                Failure::Invalid(ErrorKind::InvalidTrait, format!("invalid {what} name: {LONE_SURROGATE}"))
            })?,
            Err(_) => {
                let got = type_name(key);
                let message = format!("invalid {what} name: names must be str, not {got}");
                return Err(Failure::Invalid(ErrorKind::InvalidTrait, message));
            }
        };
        if value.is_none() {
            continue;
        }
        let value = hold_value(value, &|| field(name.to_owned()))?;
        traits.push(Trait { name, value });
    }
    Ok(traits)
}

/// str, int (not bool), date, or aware datetime.
fn hold_value<'a>(value: &'a Bound<'_, PyAny>, field: &dyn Fn() -> Field) -> Result<TraitValue<'a>, Failure> {
    if let Ok(text) = value.cast::<PyString>() {
        let invalid = || Failure::Invalid(ErrorKind::InvalidTrait, format!("invalid {}: {LONE_SURROGATE}", field()));
        return hold_str(text, invalid).map(TraitValue::Text);
    }
    let unsupported = || Failure::Core(Error::trait_problem(field(), TraitProblem::UnsupportedType(type_name(value))));
    if value.is_instance_of::<PyBool>() {
        return Err(unsupported());
    }
    if let Ok(int) = value.cast::<PyInt>() {
        return match hold_integer(int)? {
            IntegerId::Small(small) => Ok(TraitValue::Integer(small)),
            IntegerId::Big(_) => Err(Error::trait_problem(field(), TraitProblem::IntegerOutOfRange).into()),
        };
    }
    hold_date_or_time(value, field).unwrap_or_else(|| Err(unsupported()))
}
