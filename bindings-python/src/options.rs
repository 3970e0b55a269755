//! Renderer options read from Python: the survey URL, the CSP nonce, and a
//! link's locale, tags and response values. Lists and tuples are read through
//! the C API (a subclass's `__iter__` or `__getitem__` is never called).

use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};
use refiner_identity::{Error, ErrorKind, Field, LinkOptions, OptionProblem, Tags};

use crate::failure::{type_name, Failure, LONE_SURROGATE};
use crate::identity::{hold_str, hold_traits, present, snapshot_dict, Items};

/// A survey URL: a str; one that is not UTF-8 is certainly not printable ASCII.
pub fn hold_url<'a>(url: &'a Bound<'_, PyAny>) -> Result<&'a str, Failure> {
    let Ok(text) = url.cast::<PyString>() else {
        return Err(Failure::Type(format!("url must be str, not {}", type_name(url))));
    };
    hold_str(text, || Error::option(Field::Url, OptionProblem::UrlNotPrintableAscii).into())
}

/// A CSP nonce: str or None. A bad one is refused by the core without being echoed.
pub fn hold_nonce<'a>(nonce: Option<&'a Bound<'_, PyAny>>) -> Result<Option<&'a str>, Failure> {
    hold_option_text(nonce, Field::Nonce, || Error::option(Field::Nonce, OptionProblem::Nonce).into())
}

/// A link's `locale`, `tags` and `response`, with their containers copied out
/// (owned: a batch reads each identity as it is yielded).
pub struct OptionsSnapshot<'py> {
    locale: Option<Bound<'py, PyAny>>,
    tags: Option<TagsSnapshot<'py>>,
    response: Items<'py>,
}

enum TagsSnapshot<'py> {
    Joined(Bound<'py, PyString>),
    List(Vec<Bound<'py, PyAny>>),
}

impl<'py> OptionsSnapshot<'py> {
    /// `locale`: str or None; `tags`: str, a list or tuple of str, or None; `response`: a dict or None.
    pub fn read(
        locale: Option<&Bound<'py, PyAny>>,
        tags: Option<&Bound<'py, PyAny>>,
        response: Option<&Bound<'py, PyAny>>,
    ) -> Result<Self, Failure> {
        Ok(OptionsSnapshot {
            locale: present(locale).cloned(),
            tags: snapshot_tags(tags)?,
            response: snapshot_dict(response, "response")?,
        })
    }

    /// The core's view of these options, borrowing the snapshot.
    pub fn options(&self) -> Result<LinkOptions<'_>, Failure> {
        let locale = hold_option_text(self.locale.as_ref(), Field::Locale, || {
            Failure::Invalid(ErrorKind::InvalidOption, format!("invalid {}: {LONE_SURROGATE}", Field::Locale))
        })?;
        let tags = match &self.tags {
            None => None,
            Some(TagsSnapshot::Joined(text)) => Some(Tags::Joined(hold_str(text, || {
                Failure::Invalid(ErrorKind::InvalidOption, format!("invalid {}: {LONE_SURROGATE}", Field::Tags))
            })?)),
            Some(TagsSnapshot::List(items)) => Some(Tags::List(hold_tag_list(items)?)),
        };
        Ok(LinkOptions { locale, tags, response: hold_traits(&self.response, Field::Response, "response value")? })
    }
}

fn hold_option_text<'a>(
    value: Option<&'a Bound<'_, PyAny>>,
    field: Field,
    not_utf8: impl FnOnce() -> Failure,
) -> Result<Option<&'a str>, Failure> {
    let Some(value) = present(value) else { return Ok(None) };
    let Ok(text) = value.cast::<PyString>() else {
        let got = type_name(value);
        return Err(Error::option(field, OptionProblem::UnsupportedType { expected: "str or None", got }).into());
    };
    hold_str(text, not_utf8).map(Some)
}

fn snapshot_tags<'py>(tags: Option<&Bound<'py, PyAny>>) -> Result<Option<TagsSnapshot<'py>>, Failure> {
    let Some(tags) = present(tags) else { return Ok(None) };
    if let Ok(text) = tags.cast::<PyString>() {
        return Ok(Some(TagsSnapshot::Joined(text.clone())));
    }
    if let Ok(list) = tags.cast::<PyList>() {
        return Ok(Some(TagsSnapshot::List(list.iter().collect())));
    }
    if let Ok(tuple) = tags.cast::<PyTuple>() {
        return Ok(Some(TagsSnapshot::List(tuple.iter().collect())));
    }
    let got = type_name(tags);
    let expected = "str, a list of str, or None";
    Err(Error::option(Field::Tags, OptionProblem::UnsupportedType { expected, got }).into())
}

fn hold_tag_list<'a>(items: &'a [Bound<'_, PyAny>]) -> Result<Vec<&'a str>, Failure> {
    let mut tags = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let Ok(text) = item.cast::<PyString>() else {
            let got = type_name(item);
            return Err(
                Error::option(Field::Tag(index), OptionProblem::UnsupportedType { expected: "str", got }).into()
            );
        };
        let invalid =
            || Failure::Invalid(ErrorKind::InvalidOption, format!("invalid {}: {LONE_SURROGATE}", Field::Tag(index)));
        tags.push(hold_str(text, invalid)?);
    }
    Ok(tags)
}
