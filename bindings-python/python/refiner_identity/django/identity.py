"""Who a request identifies, decided once per request and shared by the
template tags and the JSON view.

- Nobody (``None``): no user, an anonymous one, or one not saved yet (no pk).
- :class:`Identified`: the user's id, email, name and traits, each read once,
  and the payload the core rendered from them.
- :class:`Refused`: the core refused a field (the id, the email, the name, a
  trait). One warning names the field and the reason, never a value or the
  key; the page renders without the identify call instead of failing.
"""

import logging
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Union, cast

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from .._native import RefinerIdentityError, Signer
from . import conf

logger = logging.getLogger("refiner_identity.django")

_FIELDS = frozenset({"email", "name", "traits"})
_OUTCOME_ATTR = "_refiner_identity_outcome"
# Taken at import: a later patch of OrderedDict.items (or a subclass's) takes no part.
_ORDERED_ITEMS = OrderedDict.items


@dataclass(frozen=True)
class Identified:
    user_id: Any
    email: Any
    name: Any
    traits: Any
    payload: dict[str, Any]

    def fields(self) -> dict[str, Any]:
        return {"email": self.email, "name": self.name, "traits": self.traits}


@dataclass(frozen=True)
class Refused:
    field: str
    kind: str


Outcome = Union[Identified, Refused, None]


def outcome(request: HttpRequest) -> Outcome:
    """The request's outcome, computed (and, when refused, logged) once."""
    if _OUTCOME_ATTR not in request.__dict__:
        request.__dict__[_OUTCOME_ATTR] = _resolve(request)
    known: Outcome = request.__dict__[_OUTCOME_ATTR]
    return known


def _resolve(request: HttpRequest) -> Outcome:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    pk = user.pk
    if pk is None:
        return None
    # A UUID primary key is signed as its canonical text, the form Django's
    # serializers and URLs show (an exact UUID only: a subclass could change it).
    user_id = uuid.UUID.__str__(pk) if type(pk) is uuid.UUID else pk
    email, name, traits = _user_fields(user)
    signer = conf.signer()
    try:
        payload = signer.identify_payload(user_id, email=email, name=name, traits=traits)
    except (RefinerIdentityError, TypeError) as error:
        refused = Refused(_refused_field(signer, user_id, email, name, traits), type(error).__name__)
        logger.warning(
            "Refiner identify call left out for this request: the user's %s was refused (%s: %s)",
            refused.field,
            refused.kind,
            error,
        )
        return refused
    return Identified(user_id, email, name, traits, payload)


def _user_fields(user: Any) -> tuple[Any, Any, Any]:
    fields = conf.user_fields()(user)
    if fields is None:
        return None, None, None
    if not isinstance(fields, dict):
        raise ImproperlyConfigured(
            f"settings.{conf.TRAITS_SETTING} must return a dict with any of email, name and traits "
            f"(or None), not {type(fields).__name__}"
        )
    # One read of the stored items through dict's own view: a subclass's
    # get, keys, items or __iter__ take no part.
    fields = dict(dict.items(fields))
    unknown = sorted(str(key) for key in fields if key not in _FIELDS)
    if unknown:
        raise ImproperlyConfigured(
            f"settings.{conf.TRAITS_SETTING} returned {', '.join(unknown)}: it may return email, name and traits "
            "(put other fields in traits)"
        )
    traits = fields.get("traits")
    if issubclass(type(traits), OrderedDict):
        # Its own order (move_to_end counts), read by OrderedDict's items, not a subclass's.
        traits = dict(_ORDERED_ITEMS(cast("OrderedDict[Any, Any]", traits)))
    elif isinstance(traits, dict):
        traits = dict(dict.items(traits))
    return fields.get("email"), fields.get("name"), traits


def _refused_field(signer: Signer, user_id: Any, email: Any, name: Any, traits: Any) -> str:
    """Which field the core refused, found by rendering each alone (only after a
    refusal, so a page pays nothing for it)."""
    if not _renders(signer, user_id):
        return "id"
    if not _renders(signer, user_id, email=email):
        return "email"
    if not _renders(signer, user_id, name=name):
        return "name"
    if not isinstance(traits, dict):
        return "traits"
    for key, value in traits.items():
        if not _renders(signer, user_id, traits={key: value}):
            return f"traits.{key}" if isinstance(key, str) else "traits"
    return "identity"


def _renders(signer: Signer, user_id: Any, **fields: Any) -> bool:
    try:
        signer.identify_call(user_id, **fields)
    except (RefinerIdentityError, TypeError):
        return False
    return True
