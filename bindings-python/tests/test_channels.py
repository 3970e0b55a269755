"""Every renderer, byte for byte against the standard-library reference
(channels_reference.py), for hostile text, every trait type and every
combination of optional fields, plus random identities."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import channels_reference as ref
import pytest
import refiner_identity as ri
from conftest import SECRET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SIGNER = ri.Signer(SECRET)
UTC = dt.timezone.utc
HOSTILE_TEXT = [
    "</script><script>alert(1)</script>", "<!--", "-->", "\u2028\u2029", "it's \"quoted\"", "back\\slash\\",
    "emoji 😀 and 𝄞", "\x00\x01\x07\x08\x0b\x0c\x1f\x7f", "\b\f\n\r\t", "a&b>c<d", "/path/", "é ü ß 中文",
    "", " ", "%41+%2B", "x" * 10_000, "😀" * 10_000, "='\"&?#;,",
]
TRAITS = {
    "plan": "pro",
    "seats": 5,
    "negative": -2_147_483_647,
    "largest": 2_147_483_647,
    "zero": 0,
    "signed_up": dt.date(2024, 2, 29),
    "first_day": dt.date(1, 1, 1),
    "last_seen": dt.datetime(2025, 1, 2, 3, 4, 5, 999_999, tzinfo=UTC),
    "offset": dt.datetime(2025, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
    "before_epoch": dt.datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=UTC),
    "left_out": None,
    "_under_score9": "ok",
}
URLS = ["https://refiner.example/s/abc", "https://refiner.example/s/abc?ref=mail", "http://host:8080/s?a=1&",
        "https://h.example/s?#frag", "https://h.example/s?x=%20y#top?z=1", "HTTPS://[::1]:443/p#"]


def all_renderings(user_id: Any, **identity: Any) -> None:
    """Asserts every single-identity renderer equals the reference."""
    nonce = identity.pop("nonce", None)
    assert SIGNER.identify_call(user_id, **identity) == ref.identify_call(SECRET, user_id, **identity)
    assert SIGNER.script_tag(user_id, **identity, nonce=nonce) == ref.script_tag(SECRET, user_id, nonce=nonce,
                                                                                  **identity)
    assert SIGNER.gtm_script_tag(user_id, **identity, nonce=nonce) == ref.gtm_script_tag(
        SECRET, user_id, nonce=nonce, **identity)
    payload = SIGNER.identify_payload(user_id, **identity)
    expected_payload = ref.identify_payload_json(SECRET, user_id, **identity)
    assert ref.script_json(payload) == expected_payload  # same keys, same order, same values
    assert payload == json.loads(expected_payload)
    gtm = SIGNER.gtm_traits(user_id, **identity)
    assert ref.script_json(gtm) == ref.gtm_traits_json(SECRET, user_id, **identity)
    for url in URLS:
        assert SIGNER.survey_link(url, user_id, **identity) == ref.survey_link(SECRET, url, user_id, **identity)


@pytest.mark.parametrize("text", HOSTILE_TEXT, ids=range(len(HOSTILE_TEXT)))
def test_hostile_text_in_every_field(text: str) -> None:
    all_renderings(text or "non-empty id", email=text, name=text, traits={"note": text})
    options = {"locale": text, "tags": text, "response": {"q": text}}
    assert SIGNER.survey_link(URLS[1], "u", **options) == ref.survey_link(SECRET, URLS[1], "u", **options)


def test_script_context_is_safe() -> None:
    tag = SIGNER.script_tag("u", name="</script><!--\u2028", traits={"x": "&<>"})
    body = tag[len("<script>"):-len("</script>")]
    assert "<" not in body and ">" not in body and "&" not in body and "\u2028" not in body


def test_every_trait_type() -> None:
    all_renderings("user_42", email="jane@example.com", name="Jane", traits=TRAITS, nonce="n0nce+/=_-")
    call = SIGNER.identify_call(7, traits=TRAITS)
    assert '"seats":5,' in call and '"signed_up":"2024-02-29"' in call and '"first_day":"0001-01-01"' in call
    assert '"last_seen":"2025-01-02T03:04:05Z"' in call and '"offset":"2024-12-31T19:00:00Z"' in call
    assert '"before_epoch":"1969-12-31T23:59:59Z"' in call and "left_out" not in call


@pytest.mark.parametrize("email", [None, "", "e@x.example"])
@pytest.mark.parametrize("name", [None, "", "N"])
@pytest.mark.parametrize("traits", [None, {}, {"a": None}, {"b": 1, "a": "z"}])
@pytest.mark.parametrize("nonce", [None, "a", "A" * 256])
def test_empty_and_missing_optionals(email: str | None, name: str | None, traits: dict[str, Any] | None,
                                     nonce: str | None) -> None:
    all_renderings("u1", email=email, name=name, traits=traits, nonce=nonce)


@pytest.mark.parametrize("user_id", ["user_42", 42, -1, 0, 2**64, -(2**200), b"bytes-id", bytearray(b"ba"), "é"])
def test_ids_render_as_the_signed_text(user_id: Any) -> None:
    expected_id = ref.id_text(bytes(user_id) if isinstance(user_id, bytearray) else user_id)
    assert SIGNER.identify_payload(user_id)["user"]["id"] == expected_id
    assert SIGNER.identify_payload(user_id)["signature"] == SIGNER.sign(user_id)
    all_renderings(bytes(user_id) if isinstance(user_id, bytearray) else user_id)


def test_trait_order_is_insertion_order() -> None:
    traits = {name: index for index, name in enumerate(["zeta", "alpha", "Mid", "_x", "b2"])}
    assert list(SIGNER.gtm_traits("u", traits=traits))[1:-1] == list(traits)
    assert list(SIGNER.identify_payload("u", traits=traits)["user"])[1:] == list(traits)


@pytest.mark.parametrize("tags", [None, "", [], ("a",), ["a", "b c", "ü"], "x,y"])
@pytest.mark.parametrize("locale", [None, "", "de-CH"])
def test_link_options(tags: Any, locale: str | None) -> None:
    response = {"source": "mail", "n": 3, "when": dt.date(2020, 1, 2), "none": None}
    for url in URLS:
        assert SIGNER.survey_link(url, "u", tags=tags, locale=locale, response=response) == ref.survey_link(
            SECRET, url, "u", tags=tags, locale=locale, response=response)


def test_link_keeps_query_and_fragment() -> None:
    link = SIGNER.survey_link("https://h.example/s?ref=mail#top", "a b", email="e@x", traits={"t": "1+1"})
    expected_sig = ref.signature(SECRET, "a b")
    assert link == f"https://h.example/s?ref=mail&contact_id=a%20b&signature={expected_sig}" \
                   "&contact_email=e%40x&contact_t=1%2B1#top"


text_strategy = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
value_strategy = st.one_of(
    st.none(), text_strategy, st.integers(-2_147_483_647, 2_147_483_647), st.dates(),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.sampled_from(
        [UTC, dt.timezone(dt.timedelta(hours=-11, minutes=-15)), dt.timezone(dt.timedelta(hours=14))])),
)
name_strategy = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,20}", fullmatch=True).filter(
    lambda name: name not in ("id", "email", "name", "signature", "identify_verification_signature"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(user_id=st.one_of(text_strategy.filter(bool), st.integers()), email=st.none() | text_strategy,
       name=st.none() | text_strategy, traits=st.dictionaries(name_strategy, value_strategy, max_size=6))
def test_random_identities(user_id: Any, email: str | None, name: str | None, traits: dict[str, Any]) -> None:
    all_renderings(user_id, email=email, name=name, traits=traits)
