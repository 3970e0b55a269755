//! The renderers of SPEC.md section 9 for one identity: convert the arguments,
//! call the core once, hand back its text (or, for the JSON ones, the dict
//! `json.loads` makes of the core's JSON, so every language agrees).

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;
use refiner_identity::{Identity, Signer, SurveyUrl};

use crate::convert::hold_user_id;
use crate::error::to_py;
use crate::identity::{snapshot_dict, Contact, IdentityArgs};
use crate::options::{hold_nonce, hold_url, OptionsSnapshot};

static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Calls `render` with the core's identity for `args` (which borrows what is read here).
fn with_identity<R>(args: &IdentityArgs<'_, '_>, render: impl FnOnce(&Identity<'_>) -> PyResult<R>) -> PyResult<R> {
    let id = hold_user_id(args.user_id, &|| "user_id".into())?;
    let items = snapshot_dict(args.traits, "traits")?;
    let contact = Contact::read(args.email, args.name, &items)?;
    render(&contact.with_id(id.as_user_id()))
}

/// Takes `json.loads` and the datetime types when the module loads, so a later
/// monkeypatch of the `json` or `datetime` module does not change what renders.
pub fn capture_at_load(py: Python<'_>) -> PyResult<()> {
    json_loads(py)?;
    crate::identity::preload(py)?;
    crate::dates::preload(py)
}

fn json_loads(py: Python<'_>) -> PyResult<&Py<PyAny>> {
    JSON_LOADS.get_or_try_init(py, || py.import("json")?.getattr("loads").map(Bound::unbind))
}

fn text<'py>(py: Python<'py>, rendered: Result<String, refiner_identity::Error>) -> PyResult<Bound<'py, PyString>> {
    rendered.map(|text| PyString::new(py, &text)).map_err(to_py)
}

fn parsed<'py>(py: Python<'py>, rendered: Result<String, refiner_identity::Error>) -> PyResult<Bound<'py, PyAny>> {
    let json = rendered.map_err(to_py)?;
    json_loads(py)?.bind(py).call1((json,))
}

pub fn identify_call<'py>(signer: &Signer, args: &IdentityArgs<'_, 'py>) -> PyResult<Bound<'py, PyString>> {
    with_identity(args, |identity| text(args.user_id.py(), signer.identify_call(identity)))
}

pub fn script_tag<'py>(
    signer: &Signer,
    args: &IdentityArgs<'_, 'py>,
    nonce: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyString>> {
    let nonce = hold_nonce(nonce)?;
    with_identity(args, |identity| text(args.user_id.py(), signer.script_tag(identity, nonce)))
}

pub fn identify_payload<'py>(signer: &Signer, args: &IdentityArgs<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
    with_identity(args, |identity| parsed(args.user_id.py(), signer.identify_payload_json(identity)))
}

pub fn gtm_traits<'py>(signer: &Signer, args: &IdentityArgs<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
    with_identity(args, |identity| parsed(args.user_id.py(), signer.gtm_traits_json(identity)))
}

pub fn gtm_script_tag<'py>(
    signer: &Signer,
    args: &IdentityArgs<'_, 'py>,
    nonce: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyString>> {
    let nonce = hold_nonce(nonce)?;
    with_identity(args, |identity| text(args.user_id.py(), signer.gtm_script_tag(identity, nonce)))
}

/// `locale`, `tags` and `response` of one survey link, beside the identity.
pub struct LinkArgs<'a, 'py> {
    pub locale: Option<&'a Bound<'py, PyAny>>,
    pub tags: Option<&'a Bound<'py, PyAny>>,
    pub response: Option<&'a Bound<'py, PyAny>>,
}

pub fn survey_link<'py>(
    signer: &Signer,
    url: &Bound<'py, PyAny>,
    args: &IdentityArgs<'_, 'py>,
    link: &LinkArgs<'_, 'py>,
) -> PyResult<Bound<'py, PyString>> {
    // The URL is checked first (its errors come before the identity's); a
    // repeated URL is not checked again (the core keeps the thread's last one).
    SurveyUrl::with_parsed(hold_url(url)?, |url| {
        let id = hold_user_id(args.user_id, &|| "user_id".into())?;
        let items = snapshot_dict(args.traits, "traits")?;
        let snapshot = OptionsSnapshot::read(link.locale, link.tags, link.response)?;
        let identity = Contact::read(args.email, args.name, &items)?.with_id(id.as_user_id());
        text(args.user_id.py(), signer.survey_link(url, &identity, &snapshot.options()?))
    })
    .map_err(to_py)?
}
