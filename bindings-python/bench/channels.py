"""Renderer rows of the Python benchmark: `identify_call` and `survey_link` for a
user with 5 traits, against `Signer.sign` (target: at most 4x its time) and
against the same rendering written with the standard library (json + hmac +
urllib.parse; target: at least 5x faster). Outputs are asserted equal first."""
from __future__ import annotations

import gc
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import refiner_identity as ri

URL = "https://refiner.example/s/abc?src=mail"
USER_ID = "user-1234567"
EMAIL = "jane@example.com"
NAME = "Jane Doe"
TRAITS = {"plan": "pro", "seats": 5, "company": "Acme & Co", "role": "admin", "score": 42}
MAX_VS_SIGN = 4.0
MIN_VS_STDLIB = 5.0
ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def stdlib_identify_call(key: bytes, user_id: str, email: str, name: str, traits: dict[str, Any]) -> str:
    signature = hmac.new(key, user_id.encode(), hashlib.sha256).hexdigest()
    user = json.dumps({"id": user_id, "email": email, "name": name, **traits}, separators=(",", ":"),
                      ensure_ascii=False)
    for raw, escaped in ESCAPES:
        user = user.replace(raw, escaped)
    return f"_refiner('identifyUser',{user},{{\"signature\":\"{signature}\"}});"


def stdlib_survey_link(key: bytes, url: str, user_id: str, email: str, name: str, traits: dict[str, Any]) -> str:
    signature = hmac.new(key, user_id.encode(), hashlib.sha256).hexdigest()
    pairs = [("contact_id", user_id), ("signature", signature), ("contact_email", email), ("contact_name", name)]
    pairs += [(f"contact_{trait}", str(value)) for trait, value in traits.items()]
    query = "&".join(f"{quote(k, safe='-._~')}={quote(v, safe='-._~')}" for k, v in pairs)
    return url + ("&" if "?" in url else "?") + query


def rows(key: bytes, median_ns: Callable[[Callable[[], object], int], float]) -> list[dict[str, Any]]:
    """One row per renderer: ns per call, and both ratios with their targets. `Signer.sign`
    is timed again beside each renderer, so a change in machine load hits both alike."""
    signer = ri.Signer(key)
    sign: Callable[[], object] = lambda: signer.sign(USER_ID)  # noqa: E731
    ours: dict[str, Callable[[], str]] = {
        "Signer.identify_call": lambda: signer.identify_call(USER_ID, email=EMAIL, name=NAME, traits=TRAITS),
        "Signer.survey_link": lambda: signer.survey_link(URL, USER_ID, email=EMAIL, name=NAME, traits=TRAITS),
    }
    theirs: dict[str, Callable[[], str]] = {
        "Signer.identify_call": lambda: stdlib_identify_call(key, USER_ID, EMAIL, NAME, TRAITS),
        "Signer.survey_link": lambda: stdlib_survey_link(key, URL, USER_ID, EMAIL, NAME, TRAITS),
    }
    results = []
    for call, render in ours.items():
        assert render() == theirs[call](), f"{call} differs from the stdlib rendering: nothing timed"
        gc.collect()
        sign_ns = median_ns(sign, 100_000)
        gc.collect()
        ns = median_ns(render, 100_000)
        gc.collect()
        stdlib_ns = median_ns(theirs[call], 20_000)
        results.append({"call": f"{call} (5 traits)", "ns": ns, "stdlib_ns": stdlib_ns, "ratio": stdlib_ns / ns,
                        "target": MIN_VS_STDLIB, "sign_ns": sign_ns, "vs_sign": ns / sign_ns,
                        "max_vs_sign": MAX_VS_SIGN})
    return results


def missed(results: list[dict[str, Any]]) -> list[str]:
    return [row["call"] for row in results if row["ratio"] < row["target"] or row["vs_sign"] > row["max_vs_sign"]]
