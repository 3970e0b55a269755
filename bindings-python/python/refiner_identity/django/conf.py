"""The app's settings, read and checked once per process (again when a test
overrides them):

- ``REFINER_SECRET_KEY``: the key (str or bytes); when the setting is absent
  or None, the environment variable of the same name (its raw bytes).
- ``REFINER_PREVIOUS_SECRET_KEYS``: older keys ``verify`` still accepts.
- ``REFINER_USER_TRAITS``: a function, or its dotted path, taking a user and
  returning a dict with any of ``email``, ``name`` and ``traits``.

A problem is a :class:`Problem` with the system check's id; its text says
where the key came from and what is wrong with it, never what it is.
"""

import os
from dataclasses import dataclass
from typing import Any, Callable, Union

from django import conf as django_conf
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string
from django.views.decorators.debug import sensitive_variables

from .._native import DEFAULT_SECRET_ENV, InvalidSecretError, Signer

KEY_SETTING = "REFINER_SECRET_KEY"
PREVIOUS_SETTING = "REFINER_PREVIOUS_SECRET_KEYS"
TRAITS_SETTING = "REFINER_USER_TRAITS"
_SETTINGS = frozenset({KEY_SETTING, PREVIOUS_SETTING, TRAITS_SETTING})
_WHERE = "Refiner's SETTINGS > Identity Verification"

UserFields = Callable[[Any], Any]


@dataclass(frozen=True)
class Problem:
    id: str
    msg: str
    hint: str

    def error(self) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"{self.id}: {self.msg} ({self.hint})")


_signer: Union[Signer, None] = None
_user_fields: Union[UserFields, None] = None


def _reset(*, setting: str, **_: Any) -> None:
    global _signer, _user_fields
    if setting in _SETTINGS:
        _signer = None
        _user_fields = None


setting_changed.connect(_reset, dispatch_uid="refiner_identity.django.conf")


def signer() -> Signer:
    """The Signer for the configured key, built once; ImproperlyConfigured
    (with the check's id) when the key is missing, empty or padded."""
    global _signer
    if _signer is None:
        loaded = load_signer()
        if isinstance(loaded, Problem):
            raise loaded.error()
        _signer = loaded
    return _signer


def user_fields() -> UserFields:
    """The function giving a user's email, name and traits."""
    global _user_fields
    if _user_fields is None:
        loaded = load_user_fields()
        if isinstance(loaded, Problem):
            raise loaded.error()
        _user_fields = loaded
    return _user_fields


@sensitive_variables()
def load_signer() -> Union[Signer, Problem]:
    """A Signer, or the first problem of the key settings. The key is kept out of
    every message, and (sensitive_variables) out of Django's debug pages."""
    configured = getattr(django_conf.settings, KEY_SETTING, None)
    if configured is not None:
        where = f"settings.{KEY_SETTING}"
        key = configured
    else:
        where = f"environment variable {DEFAULT_SECRET_ENV}"
        environ = getattr(os, "environb", None)  # raw bytes where the OS has them, as Signer.from_env reads
        key = environ.get(DEFAULT_SECRET_ENV.encode()) if environ is not None else os.environ.get(DEFAULT_SECRET_ENV)
        if key is None:
            return Problem(
                "refiner_identity.E001",
                f"no Refiner secret key: neither settings.{KEY_SETTING} nor the environment variable "
                f"{DEFAULT_SECRET_ENV} is set",
                f"set one of them to the key from {_WHERE}",
            )
    if not isinstance(key, (str, bytes)):
        return Problem(
            "refiner_identity.E004",
            f"{where} must be str or bytes, not {type(key).__name__}",
            f"set it to the key from {_WHERE}",
        )
    try:
        Signer(key)
    except InvalidSecretError as error:
        # The core's checks decide; ours only pick the id, and what has no id of its
        # own is told in the core's words (which never hold the key).
        if not key:
            return Problem("refiner_identity.E002", f"{where} is empty", f"set it to the key from {_WHERE}")
        if _padded(key):
            return Problem(
                "refiner_identity.E003",
                f"{where} starts or ends with a space, tab, CR or LF",
                "this is usually a newline picked up from a file or an environment variable; strip it where the "
                "key is loaded",
            )
        if isinstance(key, str) and not _encodes(key):
            return Problem(
                "refiner_identity.E007",
                f"{where} contains a lone surrogate (such as '\\udcff'), which has no UTF-8 encoding",
                "this is what os.environ gives for a variable holding bytes that are not UTF-8; leave the setting "
                f"out to read the environment variable's bytes, or set it to the key from {_WHERE}",
            )
        return Problem("refiner_identity.E007", f"{where}: {error}", f"set it to the key from {_WHERE}")
    previous = getattr(django_conf.settings, PREVIOUS_SETTING, ())
    if not isinstance(previous, (list, tuple)):
        return Problem(
            "refiner_identity.E005",
            f"settings.{PREVIOUS_SETTING} must be a list or tuple of keys, not {type(previous).__name__}",
            "list the keys verify should still accept, or leave the setting out",
        )
    try:
        return Signer(key, previous=list(previous))
    except (InvalidSecretError, TypeError) as error:
        # The current key was accepted above, so the core refused a previous one;
        # its message names previous[i], never a key.
        return Problem("refiner_identity.E005", f"settings.{PREVIOUS_SETTING}: {error}", "remove or fix that key")


def _padded(key: Union[str, bytes]) -> bool:
    """Whether the (non-empty) key starts or ends with the whitespace the core refuses."""
    edges = (key[0], key[-1])
    return any((chr(edge) if isinstance(edge, int) else edge) in " \t\r\n" for edge in edges)


def _encodes(key: str) -> bool:
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def load_user_fields() -> Union[UserFields, Problem]:
    configured = getattr(django_conf.settings, TRAITS_SETTING, None)
    if configured is None:
        return default_user_fields
    if isinstance(configured, str):
        try:
            configured = import_string(configured)
        except ImportError as error:
            return Problem(
                "refiner_identity.E006",
                f"settings.{TRAITS_SETTING} cannot be imported: {error}",
                "give a function, or the dotted path of one, taking a user",
            )
    if not callable(configured):
        return Problem(
            "refiner_identity.E006",
            f"settings.{TRAITS_SETTING} must be a function or its dotted path, not {type(configured).__name__}",
            "give a function, or the dotted path of one, taking a user",
        )
    fields: UserFields = configured
    return fields


def default_user_fields(user: Any) -> dict[str, Any]:
    """The user's email and full name, when it has them (Django's user models do)."""
    fields: dict[str, Any] = {}
    get_email_field_name = getattr(user, "get_email_field_name", None)
    if callable(get_email_field_name):
        email = getattr(user, get_email_field_name(), None)
        if email:
            fields["email"] = email
    get_full_name = getattr(user, "get_full_name", None)
    if callable(get_full_name):
        name = get_full_name()
        if name:
            fields["name"] = name
    return fields
