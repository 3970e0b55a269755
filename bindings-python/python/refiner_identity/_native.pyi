"""Type stubs of the native module (checked against it by mypy.stubtest in `make test`)."""

from collections.abc import Iterable, Sequence
from typing import TypeAlias, final

_UserId: TypeAlias = str | bytes | bytearray | int
_Secret: TypeAlias = str | bytes | bytearray
_SignatureText: TypeAlias = str | bytes | bytearray

__all__ = [
    "DEFAULT_SECRET_ENV",
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
    @property
    def previous_count(self) -> int:
        """How many previous keys ``verify`` accepts."""
