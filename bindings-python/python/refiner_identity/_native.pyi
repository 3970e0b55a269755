"""Type stubs of the native module (checked against it by mypy.stubtest in `make test`)."""

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypedDict, TypeAlias, final

from typing_extensions import NotRequired, Self

_UserId: TypeAlias = str | bytes | bytearray | int
_Secret: TypeAlias = str | bytes | bytearray
_SignatureText: TypeAlias = str | bytes | bytearray
# A dict (read as stored, so no other mapping) of str, int (not bool), date or
# aware datetime values; None leaves a trait out. Values are Any because dict is
# invariant: a dict[str, str] must be accepted too.
_Traits: TypeAlias = dict[str, Any]
_Tags: TypeAlias = str | Sequence[str]

class _ArrowArrayExporter(Protocol):
    def __arrow_c_array__(self, requested_schema: object | None = None) -> tuple[object, object]: ...

class _ArrowStreamExporter(Protocol):
    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object: ...

# pyarrow Array / ChunkedArray / Table / RecordBatchReader, a Polars Series, a DuckDB result's arrow().
_ArrowColumn: TypeAlias = _ArrowArrayExporter | _ArrowStreamExporter

class _LinkIdentity(TypedDict):
    id: _UserId
    email: NotRequired[str | None]
    name: NotRequired[str | None]
    traits: NotRequired[_Traits | None]
    locale: NotRequired[str | None]
    tags: NotRequired[_Tags | None]
    response: NotRequired[_Traits | None]

__all__ = [
    "DEFAULT_SECRET_ENV",
    "ArrowStringArray",
    "InvalidOptionError",
    "InvalidSecretError",
    "InvalidTraitError",
    "InvalidUserIdError",
    "RefinerIdentityError",
    "Signer",
    "__version__",
    "sign",
    "verify",
]
__version__: str
DEFAULT_SECRET_ENV: str

class RefinerIdentityError(ValueError):
    """Base class of refiner_identity's errors; a ValueError, so `except ValueError` catches it."""

class InvalidSecretError(RefinerIdentityError):
    """The secret key is unusable (empty, padded with whitespace, or missing from the environment)."""

class InvalidUserIdError(RefinerIdentityError):
    """The user id is unusable (empty, or a str that cannot be UTF-8)."""

class InvalidTraitError(RefinerIdentityError):
    """A field of the identity to render (email, name, a trait or a response value) is unusable."""

class InvalidOptionError(RefinerIdentityError):
    """A renderer option (survey URL, CSP nonce, tags) is unusable."""

@final
class ArrowStringArray:
    """An Arrow ``string`` array (``large_string`` past 2 GiB of text), read without a copy by
    ``pyarrow.array(result)``, ``polars.Series(result)`` or DuckDB (Arrow PyCapsule interface)."""

    def __arrow_c_array__(self, requested_schema: object | None = None) -> tuple[object, object]:
        """The array as Arrow C schema and array capsules."""
    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The array as an Arrow C stream of one chunk."""
    def __arrow_c_schema__(self) -> object:
        """The array's field as an Arrow C schema capsule."""
    def __len__(self) -> int: ...
    @property
    def null_count(self) -> int:
        """How many rows are null."""

def sign(secret: _Secret, user_id: _UserId) -> str:
    """The signature of ``user_id`` under ``secret``: 64 lowercase hex characters."""

def verify(secret: _Secret, user_id: _UserId, signature: _SignatureText) -> bool:
    """True iff ``signature`` (either case) is the signature of ``user_id`` under ``secret``."""

@final
class Signer:
    """Signs user ids with one secret key, validated once; safe to share between threads."""

    def __new__(cls, secret: _Secret, *, previous: Sequence[_Secret] = ...) -> Signer: ...
    @staticmethod
    def from_env(name: str = "REFINER_SECRET_KEY") -> Signer:
        """A Signer for the secret in environment variable ``name``."""
    def sign(self, user_id: _UserId) -> str:
        """The signature of ``user_id``: 64 lowercase hex characters."""
    def verify(self, user_id: _UserId, signature: _SignatureText) -> bool:
        """True iff ``signature`` matches ``user_id`` under the current or a previous key."""
    def sign_many(self, user_ids: Iterable[_UserId]) -> list[str]:
        """Signatures of every id, in order; large batches use all cores without the GIL."""
    def identify_call(
        self, user_id: _UserId, *, email: str | None = None, name: str | None = None, traits: _Traits | None = None
    ) -> str:
        """``_refiner('identifyUser',{...},{"signature":"..."});`` for the user."""
    def script_tag(
        self,
        user_id: _UserId,
        *,
        email: str | None = None,
        name: str | None = None,
        traits: _Traits | None = None,
        nonce: str | None = None,
    ) -> str:
        """The identify call in a ``<script>`` element (with the CSP nonce, if given)."""
    def identify_payload(
        self, user_id: _UserId, *, email: str | None = None, name: str | None = None, traits: _Traits | None = None
    ) -> dict[str, Any]:
        """``{"user": {...}, "signature": "..."}`` for a JSON endpoint."""
    def gtm_traits(
        self, user_id: _UserId, *, email: str | None = None, name: str | None = None, traits: _Traits | None = None
    ) -> dict[str, Any]:
        """The user's fields plus ``identify_verification_signature``, for Google Tag Manager."""
    def gtm_script_tag(
        self,
        user_id: _UserId,
        *,
        email: str | None = None,
        name: str | None = None,
        traits: _Traits | None = None,
        nonce: str | None = None,
    ) -> str:
        """A ``<script>`` pushing the GTM traits onto ``window.dataLayer``."""
    def survey_link(
        self,
        url: str,
        user_id: _UserId,
        *,
        email: str | None = None,
        name: str | None = None,
        traits: _Traits | None = None,
        locale: str | None = None,
        tags: _Tags | None = None,
        response: _Traits | None = None,
    ) -> str:
        """The survey ``url`` with the user's signed contact fields and the link's options."""
    def survey_links(self, url: str, identities: Iterable[_LinkIdentity]) -> list[str]:
        """Survey links for every identity dict, in order; rendered on all cores without the GIL."""
    def sign_arrow(self, ids: _ArrowColumn) -> ArrowStringArray:
        """Signatures of an Arrow column of ids (string, binary or integer types); null ids give nulls."""
    def survey_links_arrow(self, url: str, identities: _ArrowColumn) -> ArrowStringArray:
        """Survey links for an Arrow table with the columns ``survey_links`` reads from each dict."""
    @property
    def previous_count(self) -> int:
        """How many previous keys ``verify`` accepts."""
    def __copy__(self) -> Self:
        """The same Signer (it is immutable). Pickling is refused: it would copy key material."""
    def __deepcopy__(self, _memo: Any, /) -> Self:
        """The same Signer, as for ``copy.copy``."""
