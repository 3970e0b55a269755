"""Independent reference renderings of the Refiner channels (SPEC.md section 9),
written from the standard library only (json, hmac, urllib.parse). The tests,
the example check and the benchmark compare refiner_identity against these."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def signature(secret: str | bytes, user_id: str | bytes | int) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, id_text(user_id).encode(), hashlib.sha256).hexdigest()


def id_text(user_id: str | bytes | int) -> str:
    if isinstance(user_id, bytes):
        return user_id.decode("utf-8")
    return str(int(user_id)) if isinstance(user_id, int) else user_id


def timestamp_text(value: dt.datetime) -> str:
    seconds = (value - EPOCH) // dt.timedelta(seconds=1)
    utc = EPOCH + dt.timedelta(seconds=seconds)
    # Not strftime: glibc writes year 1 as "1", not "0001".
    return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"


def json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timestamp_text(value)
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return value


def text_value(value: Any) -> str:
    value = json_value(value)
    return str(value) if isinstance(value, int) else value


def script_json(value: Any) -> str:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for raw, escaped in SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def user_fields(user_id: Any, email: str | None, name: str | None, traits: Mapping[str, Any] | None) -> dict[str, Any]:
    fields: dict[str, Any] = {"id": id_text(user_id)}
    if email is not None:
        fields["email"] = email
    if name is not None:
        fields["name"] = name
    for key, value in (traits or {}).items():
        if value is not None:
            fields[key] = json_value(value)
    return fields


def identify_call(secret: str, user_id: Any, *, email: str | None = None, name: str | None = None,
                  traits: Mapping[str, Any] | None = None) -> str:
    user = script_json(user_fields(user_id, email, name, traits))
    return f"_refiner('identifyUser',{user},{{\"signature\":\"{signature(secret, user_id)}\"}});"


def open_script(nonce: str | None) -> str:
    return "<script>" if nonce is None else f'<script nonce="{nonce}">'


def script_tag(secret: str, user_id: Any, *, nonce: str | None = None, **identity: Any) -> str:
    return open_script(nonce) + identify_call(secret, user_id, **identity) + "</script>"


def identify_payload_json(secret: str, user_id: Any, *, email: str | None = None, name: str | None = None,
                          traits: Mapping[str, Any] | None = None) -> str:
    return script_json({"user": user_fields(user_id, email, name, traits), "signature": signature(secret, user_id)})


def gtm_traits_json(secret: str, user_id: Any, *, email: str | None = None, name: str | None = None,
                    traits: Mapping[str, Any] | None = None) -> str:
    fields = user_fields(user_id, email, name, traits)
    fields["identify_verification_signature"] = signature(secret, user_id)
    return script_json(fields)


def gtm_script_tag(secret: str, user_id: Any, *, nonce: str | None = None, **identity: Any) -> str:
    push = "window.dataLayer=window.dataLayer||[];window.dataLayer.push("
    return open_script(nonce) + push + gtm_traits_json(secret, user_id, **identity) + ");</script>"


def survey_link(secret: str, url: str, user_id: Any, *, email: str | None = None, name: str | None = None,
                traits: Mapping[str, Any] | None = None, locale: str | None = None,
                tags: str | Sequence[str] | None = None, response: Mapping[str, Any] | None = None) -> str:
    base, hash_mark, fragment = url.partition("#")
    if "?" not in base:
        base += "?"
    elif not base.endswith(("?", "&")):
        base += "&"
    pairs: list[tuple[str, str]] = [("contact_id", id_text(user_id)), ("signature", signature(secret, user_id))]
    if email is not None:
        pairs.append(("contact_email", email))
    if name is not None:
        pairs.append(("contact_name", name))
    pairs += [(f"contact_{key}", text_value(value)) for key, value in (traits or {}).items() if value is not None]
    if locale:
        pairs.append(("locale", locale))
    joined_tags = tags if isinstance(tags, str) or tags is None else ",".join(tags)
    if joined_tags:
        pairs.append(("tags", joined_tags))
    pairs += [(f"response_{key}", text_value(value)) for key, value in (response or {}).items() if value is not None]
    query = "&".join(f"{quote(key, safe='-._~')}={quote(value, safe='-._~')}" for key, value in pairs)
    return base + query + hash_mark + fragment
