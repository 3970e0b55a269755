//! `Signer.survey_links`: many identities (dicts) read in order with the GIL,
//! each as it is yielded (a generator may reuse a dict or bytearray for the
//! next one), then checked, signed and rendered by the core's batch engine
//! without it. An error names the first bad index, whichever step finds it.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyMemoryView, PyString};
use refiner_identity::{check_request, LinkOptions, LinkRequest, Signer, SurveyUrl};

use crate::convert::{hold_user_id, HeldUserId};
use crate::error::to_py;
use crate::failure::{type_name, Failure, LONE_SURROGATE};
use crate::identity::{snapshot_dict, Contact, Items};
use crate::options::{hold_url, OptionsSnapshot};

/// Links per hand-over from the engine: while the GIL turns one chunk into str
/// objects, the next is rendered on the other cores.
const EMIT_CHUNK: usize = 1 << 14;

const KEYS: &str = "id, email, name, traits, locale, tags, response";

/// One identity dict's values, by key (read once, through `PyDict_Next`).
#[derive(Default)]
struct Keys<'py> {
    id: Option<Bound<'py, PyAny>>,
    email: Option<Bound<'py, PyAny>>,
    name: Option<Bound<'py, PyAny>>,
    traits: Option<Bound<'py, PyAny>>,
    locale: Option<Bound<'py, PyAny>>,
    tags: Option<Bound<'py, PyAny>>,
    response: Option<Bound<'py, PyAny>>,
}

/// One identity as read: its values, and its containers copied out (a bytearray id as bytes).
struct Entry<'py> {
    id: Bound<'py, PyAny>,
    email: Option<Bound<'py, PyAny>>,
    name: Option<Bound<'py, PyAny>>,
    traits: Items<'py>,
    options: OptionsSnapshot<'py>,
}

/// Runs `step` on each item in order, stopping at the first failure, which
/// replaces `first` (it is at a lower index: earlier steps stopped at theirs).
fn each_until_failure<T, U>(
    items: impl IntoIterator<Item = T>,
    first: &mut Option<(usize, Failure)>,
    mut step: impl FnMut(usize, T) -> Result<U, Failure>,
) -> Vec<U> {
    let mut done = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        match step(index, item) {
            Ok(value) => done.push(value),
            Err(failure) => {
                *first = Some((index, failure));
                break;
            }
        }
    }
    done
}

pub fn survey_links<'py>(
    signer: &Signer,
    url: &Bound<'py, PyAny>,
    identities: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let py = url.py();
    let url = hold_url(url).map_err(|failure| failure.into_py(None))?;
    let url = SurveyUrl::parse(url).map_err(to_py)?;
    // A str, bytes or a dict is iterable too, but never a batch of identities.
    if identities.is_instance_of::<PyString>()
        || identities.is_instance_of::<PyBytes>()
        || identities.is_instance_of::<PyByteArray>()
        || identities.is_instance_of::<PyMemoryView>()
        || identities.is_instance_of::<PyDict>()
    {
        return Err(PyTypeError::new_err(format!(
            "identities must be a list (or another iterable) of dicts, one per identity, not {}; for one \
             identity, use survey_link or pass [identity]",
            type_name(identities)
        )));
    }

    // Each identity's containers are copied out as it is yielded, before any Python
    // code of ours (a tzinfo) can run; then the values are converted, in order.
    let mut first = None;
    let mut entries = Vec::new();
    for (index, object) in identities.try_iter()?.enumerate() {
        match read_entry(&object?) {
            Ok(entry) => entries.push(entry),
            Err(failure) => {
                first = Some((index, failure));
                break;
            }
        }
    }
    let converted = each_until_failure(&entries, &mut first, |index, entry| convert(entry, index));
    let (ids, rest): (Vec<HeldUserId<'_>>, Vec<(Contact<'_>, LinkOptions<'_>)>) =
        converted.into_iter().map(|(id, contact, options)| (id, (contact, options))).unzip();
    let requests: Vec<LinkRequest<'_>> = ids
        .iter()
        .zip(rest)
        .map(|(id, (contact, options))| LinkRequest { identity: contact.with_id(id.as_user_id()), options })
        .collect();
    if let Some((bad, failure)) = first {
        // An earlier item may break a rule only the core checks.
        for (index, request) in requests.iter().enumerate() {
            check_request(&url, request).map_err(|error| to_py(error.at_index(index)))?;
        }
        return Err(failure.into_py(Some(bad)));
    }

    let mut links: Vec<Py<PyString>> = Vec::with_capacity(requests.len());
    py.detach(|| {
        signer.survey_links_chunks(&url, &requests, EMIT_CHUNK, |chunk| {
            Python::attach(|py| links.extend(chunk.iter().map(|link| PyString::new(py, link).unbind())));
        })
    })
    .map_err(to_py)?;
    PyList::new(py, links)
}

fn read_entry<'py>(object: &Bound<'py, PyAny>) -> Result<Entry<'py>, Failure> {
    let Ok(dict) = object.cast::<PyDict>() else {
        return Err(Failure::Type(format!("each identity must be a dict, not {}", type_name(object))));
    };
    let mut entry = Keys::default();
    for (key, value) in dict.iter() {
        let Ok(key) = key.cast::<PyString>() else {
            return Err(Failure::Type(format!("identity keys must be str, not {}", type_name(&key))));
        };
        // Compared by content: a str subclass key cannot answer for itself.
        let Ok(name) = key.to_str() else {
            return Err(Failure::Type(format!("unknown key: {LONE_SURROGATE}; the keys are {KEYS}")));
        };
        let slot = match name {
            "id" => &mut entry.id,
            "email" => &mut entry.email,
            "name" => &mut entry.name,
            "traits" => &mut entry.traits,
            "locale" => &mut entry.locale,
            "tags" => &mut entry.tags,
            "response" => &mut entry.response,
            other => {
                let shown: String = other.chars().take(120).collect();
                return Err(Failure::Type(format!("unknown key {shown:?}; the keys are {KEYS}")));
            }
        };
        if slot.replace(value).is_some() {
            // Two keys with equal text (str subclasses with their own __hash__).
            return Err(Failure::Type(format!("the key {name:?} is given twice")));
        }
    }
    let Some(id) = entry.id else {
        return Err(Failure::Type("the key \"id\" is required".into()));
    };
    // A bytearray id is copied now: the caller may refill it for the next identity.
    let id = match id.cast::<PyByteArray>() {
        Ok(bytes) => PyBytes::new(id.py(), &bytes.to_vec()).into_any(),
        Err(_) => id,
    };
    Ok(Entry {
        id,
        traits: snapshot_dict(entry.traits.as_ref(), "traits")?,
        options: OptionsSnapshot::read(entry.locale.as_ref(), entry.tags.as_ref(), entry.response.as_ref())?,
        email: entry.email,
        name: entry.name,
    })
}

fn convert<'a>(entry: &'a Entry<'_>, index: usize) -> Result<(HeldUserId<'a>, Contact<'a>, LinkOptions<'a>), Failure> {
    let id = hold_user_id(&entry.id, &|| format!("identities[{index}][\"id\"]"))?;
    let contact = Contact::read(entry.email.as_ref(), entry.name.as_ref(), &entry.traits)?;
    Ok((id, contact, entry.options.options()?))
}
