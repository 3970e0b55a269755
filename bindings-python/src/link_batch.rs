//! `Signer.survey_links`: many identities (dicts) read in order with the GIL,
//! then checked, signed and rendered by the core's batch engine without it.
//! An error names the first bad index, whichever step finds it.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
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
struct Entry<'py> {
    id: Option<Bound<'py, PyAny>>,
    email: Option<Bound<'py, PyAny>>,
    name: Option<Bound<'py, PyAny>>,
    traits: Option<Bound<'py, PyAny>>,
    locale: Option<Bound<'py, PyAny>>,
    tags: Option<Bound<'py, PyAny>>,
    response: Option<Bound<'py, PyAny>>,
}

/// An entry's containers, copied out.
struct Snapshot<'a, 'py> {
    traits: Items<'py>,
    options: OptionsSnapshot<'a, 'py>,
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
    let objects = identities.try_iter()?.collect::<PyResult<Vec<Bound<'py, PyAny>>>>()?;

    // Every container is copied out before any Python code (a tzinfo) can run,
    // then the values are converted, in order.
    let mut first = None;
    let entries = each_until_failure(&objects, &mut first, |_, object| read_entry(object));
    let snapshots = each_until_failure(&entries, &mut first, |_, entry| snapshot(entry));
    let converted = each_until_failure(entries.iter().zip(&snapshots), &mut first, |index, (entry, snapshot)| {
        convert(entry, snapshot, index)
    });
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
    let mut entry = Entry::default();
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
    if entry.id.is_none() {
        return Err(Failure::Type("the key \"id\" is required".into()));
    }
    Ok(entry)
}

fn snapshot<'a, 'py>(entry: &'a Entry<'py>) -> Result<Snapshot<'a, 'py>, Failure> {
    Ok(Snapshot {
        traits: snapshot_dict(entry.traits.as_ref(), "traits")?,
        options: OptionsSnapshot::read(entry.locale.as_ref(), entry.tags.as_ref(), entry.response.as_ref())?,
    })
}

fn convert<'a>(
    entry: &'a Entry<'_>,
    snapshot: &'a Snapshot<'_, '_>,
    index: usize,
) -> Result<(HeldUserId<'a>, Contact<'a>, LinkOptions<'a>), Failure> {
    let Some(user_id) = entry.id.as_ref() else {
        return Err(Failure::Type("the key \"id\" is required".into()));
    };
    let id = hold_user_id(user_id, &|| format!("identities[{index}][\"id\"]"))?;
    let contact = Contact::read(entry.email.as_ref(), entry.name.as_ref(), &snapshot.traits)?;
    Ok((id, contact, snapshot.options.options()?))
}
