//! `refiner_identity.Signer`: a thin wrapper over the core's `Signer`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use refiner_identity::DEFAULT_SECRET_ENV;

use crate::convert::{hold_secret, hold_signature, hold_user_id, HeldBytes};
use crate::error::to_py;
use crate::identity::IdentityArgs;
use crate::render::{self, LinkArgs};

/// Pickling would copy key material into every plan, cache and log that holds the
/// pickle (Spark ships closures that way), so it is refused with the way out.
const PICKLE_REFUSAL: &str = "refiner_identity.Signer cannot be pickled: that would copy its key material into \
     Spark plans, caches and logs. Build the Signer where it is used (Signer.from_env() in each process); \
     for Spark use refiner_identity.spark.sign_column(df, column, secret_env=...), which builds one per \
     executor from the executor's environment";

/// Signs user ids with one secret key, validated once and kept only as keyed
/// HMAC states. Immutable and safe to share between threads.
///
/// ``previous`` holds older keys that :meth:`verify` still accepts during a key
/// rotation; :meth:`sign` always uses ``secret``.
#[pyclass(frozen, module = "refiner_identity")]
pub struct Signer {
    inner: refiner_identity::Signer,
}

#[pymethods]
impl Signer {
    #[new]
    #[pyo3(signature = (secret, *, previous = Vec::new()))]
    fn new(secret: &Bound<'_, PyAny>, previous: Vec<Bound<'_, PyAny>>) -> PyResult<Self> {
        let secret = hold_secret(secret, "secret")?;
        let previous = previous
            .iter()
            .enumerate()
            .map(|(index, old)| hold_secret(old, &format!("previous[{index}]")))
            .collect::<PyResult<Vec<HeldBytes<'_>>>>()?;
        let inner = refiner_identity::Signer::with_previous(&*secret, &previous).map_err(to_py)?;
        Ok(Signer { inner })
    }

    /// A Signer for the secret in environment variable ``name`` (default
    /// ``REFINER_SECRET_KEY``). Unset, empty or whitespace-padded values raise
    /// :class:`InvalidSecretError` naming the variable, never its value.
    #[staticmethod]
    #[pyo3(signature = (name = DEFAULT_SECRET_ENV), text_signature = "(name='REFINER_SECRET_KEY')")]
    fn from_env(name: &str) -> PyResult<Self> {
        refiner_identity::Signer::from_env(name).map(|inner| Signer { inner }).map_err(to_py)
    }

    /// The signature of ``user_id`` (str, bytes, bytearray or int): 64 lowercase hex characters.
    fn sign<'py>(&self, py: Python<'py>, user_id: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
        let held = hold_user_id(user_id, &|| "user_id".into())?;
        let signature = self.inner.sign(held.as_user_id()).map_err(to_py)?;
        Ok(PyString::new(py, signature.as_str()))
    }

    /// True iff ``signature`` (str or bytes, either case) is the signature of
    /// ``user_id`` under the current or a previous key. Malformed signatures are False.
    fn verify(&self, user_id: &Bound<'_, PyAny>, signature: &Bound<'_, PyAny>) -> PyResult<bool> {
        let held = hold_user_id(user_id, &|| "user_id".into())?;
        let signature = hold_signature(signature)?;
        self.inner.verify(held.as_user_id(), &signature).map_err(to_py)
    }

    /// Signatures of every id of ``user_ids`` (any iterable), in order. Hashing
    /// releases the GIL and spreads large batches over all cores. A bad element
    /// fails the whole call, naming its index.
    fn sign_many<'py>(&self, user_ids: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        crate::sign_many::sign_many(&self.inner, user_ids)
    }

    /// ``_refiner('identifyUser',{...},{"signature":"..."});`` for the user, ready for an
    /// inline script (SPEC.md section 9). ``traits``: a dict of str, int, date or aware datetime.
    #[pyo3(signature = (user_id, *, email = None, name = None, traits = None))]
    fn identify_call<'py>(
        &self,
        user_id: &Bound<'py, PyAny>,
        email: Option<&Bound<'py, PyAny>>,
        name: Option<&Bound<'py, PyAny>>,
        traits: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyString>> {
        render::identify_call(&self.inner, &IdentityArgs { user_id, email, name, traits })
    }

    /// The identify call in a ``<script>`` element (with ``nonce="..."`` when given).
    #[pyo3(signature = (user_id, *, email = None, name = None, traits = None, nonce = None))]
    fn script_tag<'py>(
        &self,
        user_id: &Bound<'py, PyAny>,
        email: Option<&Bound<'py, PyAny>>,
        name: Option<&Bound<'py, PyAny>>,
        traits: Option<&Bound<'py, PyAny>>,
        nonce: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyString>> {
        render::script_tag(&self.inner, &IdentityArgs { user_id, email, name, traits }, nonce)
    }

    /// ``{"user": {...}, "signature": "..."}`` for a JSON endpoint (single-page apps, mobile SDKs).
    #[pyo3(signature = (user_id, *, email = None, name = None, traits = None))]
    fn identify_payload<'py>(
        &self,
        user_id: &Bound<'py, PyAny>,
        email: Option<&Bound<'py, PyAny>>,
        name: Option<&Bound<'py, PyAny>>,
        traits: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        render::identify_payload(&self.inner, &IdentityArgs { user_id, email, name, traits })
    }

    /// The user's fields plus ``identify_verification_signature``, for Google Tag Manager.
    #[pyo3(signature = (user_id, *, email = None, name = None, traits = None))]
    fn gtm_traits<'py>(
        &self,
        user_id: &Bound<'py, PyAny>,
        email: Option<&Bound<'py, PyAny>>,
        name: Option<&Bound<'py, PyAny>>,
        traits: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        render::gtm_traits(&self.inner, &IdentityArgs { user_id, email, name, traits })
    }

    /// A ``<script>`` pushing the GTM traits onto ``window.dataLayer``.
    #[pyo3(signature = (user_id, *, email = None, name = None, traits = None, nonce = None))]
    fn gtm_script_tag<'py>(
        &self,
        user_id: &Bound<'py, PyAny>,
        email: Option<&Bound<'py, PyAny>>,
        name: Option<&Bound<'py, PyAny>>,
        traits: Option<&Bound<'py, PyAny>>,
        nonce: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyString>> {
        render::gtm_script_tag(&self.inner, &IdentityArgs { user_id, email, name, traits }, nonce)
    }

    /// The survey ``url`` with ``contact_id``, ``signature`` and the user's fields,
    /// ``locale``, ``tags`` (str or list of str) and ``response_<key>`` values.
    #[pyo3(signature = (url, user_id, *, email = None, name = None, traits = None, locale = None, tags = None,
                        response = None))]
    #[allow(clippy::too_many_arguments)]
    fn survey_link<'py>(
        &self,
        url: &Bound<'py, PyAny>,
        user_id: &Bound<'py, PyAny>,
        email: Option<&Bound<'py, PyAny>>,
        name: Option<&Bound<'py, PyAny>>,
        traits: Option<&Bound<'py, PyAny>>,
        locale: Option<&Bound<'py, PyAny>>,
        tags: Option<&Bound<'py, PyAny>>,
        response: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyString>> {
        let identity = IdentityArgs { user_id, email, name, traits };
        render::survey_link(&self.inner, url, &identity, &LinkArgs { locale, tags, response })
    }

    /// Survey links for every dict of ``identities`` (keys ``id``, ``email``, ``name``,
    /// ``traits``, ``locale``, ``tags``, ``response``), in order; rendered on all cores
    /// without the GIL. A bad item fails the call, naming its index.
    fn survey_links<'py>(
        &self,
        url: &Bound<'py, PyAny>,
        identities: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        crate::link_batch::survey_links(&self.inner, url, identities)
    }

    /// Signatures of an Arrow column of ids (string, binary or integer; any object with
    /// ``__arrow_c_array__`` or ``__arrow_c_stream__``) as one :class:`ArrowStringArray`.
    /// A null id gives a null signature. Signed on all cores without the GIL.
    fn sign_arrow(&self, ids: &Bound<'_, PyAny>) -> PyResult<crate::arrow::ArrowStringArray> {
        crate::arrow::sign_arrow(&self.inner, ids)
    }

    /// Survey links for an Arrow table (any object with ``__arrow_c_array__`` or
    /// ``__arrow_c_stream__``) whose columns are the keys :meth:`survey_links` takes
    /// (``traits`` and ``response`` as struct columns), as one :class:`ArrowStringArray`.
    /// A null id gives a null link; other nulls leave their field out.
    fn survey_links_arrow(
        &self,
        url: &Bound<'_, PyAny>,
        identities: &Bound<'_, PyAny>,
    ) -> PyResult<crate::arrow::ArrowStringArray> {
        crate::arrow::survey_links_arrow(&self.inner, url, identities)
    }

    /// How many previous keys :meth:`verify` accepts.
    #[getter]
    fn previous_count(&self) -> usize {
        self.inner.previous_count()
    }

    /// Refused: see [`PICKLE_REFUSAL`].
    fn __reduce__(&self) -> PyResult<Py<PyAny>> {
        Err(PyTypeError::new_err(PICKLE_REFUSAL))
    }

    /// Refused at every protocol: see [`PICKLE_REFUSAL`].
    fn __reduce_ex__(&self, _protocol: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        Err(PyTypeError::new_err(PICKLE_REFUSAL))
    }

    /// Refused: see [`PICKLE_REFUSAL`].
    fn __getstate__(&self) -> PyResult<Py<PyAny>> {
        Err(PyTypeError::new_err(PICKLE_REFUSAL))
    }

    /// The Signer is immutable, so a copy is the same object (no key bytes are duplicated).
    fn __copy__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    /// Same object, as for `copy.copy`: containers holding a Signer deep-copy fine.
    fn __deepcopy__<'py>(slf: Bound<'py, Self>, _memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
        slf
    }

    fn __repr__(&self) -> String {
        format!("Signer(secret=<redacted>, previous_count={})", self.inner.previous_count())
    }
}
