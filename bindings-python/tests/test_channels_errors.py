"""Every bad input of every renderer: the right exception, a message naming the
field, and never the secret (a canary) in the message, repr or traceback."""
from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Callable
from typing import Any

import pytest
import refiner_identity as ri
from conftest import SECRET

SIGNER = ri.Signer(SECRET)
URL = "https://refiner.example/s/abc"
UTC = dt.timezone.utc


def assert_clean(error: BaseException) -> None:
    for text in (str(error), repr(error), "".join(traceback.format_exception(error))):
        assert SECRET not in text and SECRET[:12] not in text, text


def every_renderer(user_id: Any, **identity: Any) -> list[Callable[[], object]]:
    """The same identity through every renderer, and as item 2 of a batch."""
    return [
        lambda: SIGNER.identify_call(user_id, **identity),
        lambda: SIGNER.script_tag(user_id, **identity),
        lambda: SIGNER.identify_payload(user_id, **identity),
        lambda: SIGNER.gtm_traits(user_id, **identity),
        lambda: SIGNER.gtm_script_tag(user_id, **identity),
        lambda: SIGNER.survey_link(URL, user_id, **identity),
        lambda: SIGNER.survey_links(URL, [{"id": "a"}, {"id": "b"}, {"id": user_id, **identity}, {"id": "c"}]),
    ]


def expect(error: type[BaseException], match: str, attempts: list[Callable[[], object]]) -> None:
    for number, attempt in enumerate(attempts):
        with pytest.raises(error, match=match) as raised:
            attempt()
        assert_clean(raised.value)
        if number == 6:
            assert re.search(r"index 2\b|identities\[2\]", str(raised.value)), str(raised.value)


BAD_TRAITS = [
    ({"bad name": 1}, 'trait "bad name".*must match'),
    ({"9lives": 1}, 'trait "9lives".*must match'),
    ({"": 1}, 'trait "".*must match'),
    ({"x" * 101: 1}, "at most 100 characters"),
    ({"email": "x"}, 'trait "email".*written by the renderer'),
    ({"signature": "x"}, 'trait "signature".*written by the renderer'),
    ({"identify_verification_signature": "x"}, "written by the renderer"),
    ({"n": 2_147_483_648}, 'trait "n".*-2147483647 to 2147483647'),
    ({"n": -2_147_483_648}, 'trait "n".*-2147483647 to 2147483647'),
    ({"n": 10**40}, 'trait "n".*-2147483647 to 2147483647'),
    ({"flag": True}, 'trait "flag".*not bool'),
    ({"ratio": 1.5}, 'trait "ratio".*not float'),
    ({"items": [1]}, 'trait "items".*not list'),
    ({"nested": {"a": 1}}, 'trait "nested".*not dict'),
    ({"raw": b"x"}, 'trait "raw".*not bytes'),
    ({"t": dt.time(1, 2)}, 'trait "t".*not time'),
    ({"at": dt.datetime(2024, 1, 1)}, 'trait "at".*without a time zone'),
    ({"early": dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))}, 'trait "early".*years 1 to 9999'),
    ({"late": dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-2)))}, "years 1 to 9999"),
    ({"long": "x" * 10_001}, 'trait "long".*at most 10,000 characters'),
    ({"long": "😀" * 10_001}, 'trait "long".*at most 10,000 characters'),
    ({"s": "a\ud800b"}, 'trait "s".*lone surrogate'),
    ({"\udc00": 1}, "trait name.*lone surrogate"),
    ({1: "x"}, "trait name.*must be str, not int"),
]


@pytest.mark.parametrize(("traits", "match"), BAD_TRAITS, ids=range(len(BAD_TRAITS)))
def test_bad_traits(traits: dict[Any, Any], match: str) -> None:
    expect(ri.InvalidTraitError, match, every_renderer("u", traits=traits))


@pytest.mark.parametrize(("identity", "match"), [
    ({"email": 5}, "invalid email.*not int"),
    ({"name": b"x"}, "invalid name.*not bytes"),
    ({"email": "x" * 10_001}, "invalid email.*10,000"),
    ({"name": "\ud800"}, "invalid name.*lone surrogate"),
], ids=range(4))
def test_bad_email_and_name(identity: dict[str, Any], match: str) -> None:
    expect(ri.InvalidTraitError, match, every_renderer("u", **identity))


@pytest.mark.parametrize(("user_id", "error", "match"), [
    (b"\xff\xfe", ri.InvalidUserIdError, "not valid UTF-8"),
    ("", ri.InvalidUserIdError, "non-empty"),
    ("a\ud800", ri.InvalidUserIdError, "lone surrogate"),
    (None, TypeError, "user id must be str, bytes, bytearray or int, not NoneType"),
    (1.5, TypeError, "not float"),
    (True, TypeError, "not bool"),
], ids=range(6))
def test_bad_ids(user_id: Any, error: type[BaseException], match: str) -> None:
    expect(error, match, every_renderer(user_id))


def test_traits_must_be_a_dict() -> None:
    expect(TypeError, "traits must be a dict, not list", every_renderer("u", traits=[("a", 1)]))


@pytest.mark.parametrize("nonce", ["a b", "<x>", "a" * 257, "", "\"'", "é", "a\ud800"])
def test_bad_nonce_is_never_echoed(nonce: str) -> None:
    for render in (SIGNER.script_tag, SIGNER.gtm_script_tag):
        with pytest.raises(ri.InvalidOptionError, match="invalid nonce") as raised:
            render("u", nonce=nonce)
        assert_clean(raised.value)
        if len(nonce) > 1:
            assert nonce not in str(raised.value)


def test_nonce_of_a_wrong_type() -> None:
    with pytest.raises(ri.InvalidOptionError, match="invalid nonce: expected str or None, not bytes"):
        SIGNER.script_tag("u", nonce=b"abc")


BAD_URLS = [
    ("ftp://refiner.example/s", "absolute, starting with https:// or http://"),
    ("/s/abc", "absolute"),
    ("refiner.example/s", "absolute"),
    ("https://user@host.example/", "user info"),
    ("https://user:pw@host.example/", "user info"),
    ("https:///path", "needs a host"),
    ("https://host:port/", "needs a host"),
    ("https://h.example/s?contact_id=1", "already has a contact_id parameter"),
    ("https://h.example/s?a=1&signature=x", "already has a signature parameter"),
    ("https://h.example/s?contact_email=x", "already has a contact_email parameter"),
    ("https://h.example/s a", "printable ASCII"),
    ("https://h.example/é", "printable ASCII"),
    ("https://h.example/\ud800", "printable ASCII"),
    ("", "printable ASCII"),
]


@pytest.mark.parametrize(("url", "match"), BAD_URLS, ids=range(len(BAD_URLS)))
def test_bad_urls(url: str, match: str) -> None:
    for attempt in (lambda: SIGNER.survey_link(url, "u"), lambda: SIGNER.survey_links(url, [{"id": "u"}])):
        with pytest.raises(ri.InvalidOptionError, match=f"invalid survey url: .*{match}") as raised:
            attempt()
        assert_clean(raised.value)


def test_url_of_a_wrong_type() -> None:
    for attempt in (lambda: SIGNER.survey_link(b"https://h.example/", "u"),
                    lambda: SIGNER.survey_links(None, [{"id": "u"}])):
        with pytest.raises(TypeError, match="url must be str"):
            attempt()


def test_base_url_may_not_hold_a_parameter_the_link_adds() -> None:
    with pytest.raises(ri.InvalidOptionError, match="already has a response_r parameter"):
        SIGNER.survey_link("https://h.example/?response_r=1", "u", response={"r": 2})
    with pytest.raises(ri.InvalidOptionError, match="already has a contact_plan parameter"):
        SIGNER.survey_link("https://h.example/?contact_plan=1", "u", traits={"plan": "x"})


@pytest.mark.parametrize(("options", "error", "match"), [
    ({"tags": ["a,b"]}, ri.InvalidOptionError, r"tags\[0\].*comma"),
    ({"tags": ["ok", "a,b"]}, ri.InvalidOptionError, r"tags\[1\].*comma"),
    ({"tags": ["ok", ""]}, ri.InvalidOptionError, r"tags\[1\].*empty"),
    ({"tags": ["ok", 1]}, ri.InvalidOptionError, r"tags\[1\]: expected str, not int"),
    ({"tags": 5}, ri.InvalidOptionError, "invalid tags: expected str, a list of str, or None, not int"),
    ({"tags": {"a"}}, ri.InvalidOptionError, "invalid tags: .*not set"),
    ({"tags": ["\udfff"]}, ri.InvalidOptionError, r"tags\[0\].*lone surrogate"),
    ({"locale": 5}, ri.InvalidOptionError, "invalid locale: expected str or None, not int"),
    ({"locale": "\ud800"}, ri.InvalidOptionError, "invalid locale.*lone surrogate"),
    ({"response": {"bad-key": 1}}, ri.InvalidTraitError, 'response value "bad-key".*must match'),
    ({"response": {"r": 1.5}}, ri.InvalidTraitError, 'response value "r".*not float'),
    ({"response": {"r": 2**31}}, ri.InvalidTraitError, 'response value "r".*2147483647'),
    ({"response": {"email": 1}}, ri.InvalidTraitError, 'response value "email".*written by the renderer'),
    ({"response": [1]}, TypeError, "response must be a dict, not list"),
], ids=range(14))
def test_bad_link_options(options: dict[str, Any], error: type[BaseException], match: str) -> None:
    for attempt in (lambda: SIGNER.survey_link(URL, "u", **options),
                    lambda: SIGNER.survey_links(URL, [{"id": "a"}, {"id": "u", **options}])):
        with pytest.raises(error, match=match) as raised:
            attempt()
        assert_clean(raised.value)


def test_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        SIGNER.identify_call("u", "e@x")  # type: ignore[misc]
    with pytest.raises(TypeError):
        SIGNER.survey_link(URL, "u", "e@x")  # type: ignore[misc]
    with pytest.raises(TypeError):
        SIGNER.identify_call("u", secret="x")  # type: ignore[call-arg]


def test_errors_are_refiner_identity_errors() -> None:
    assert issubclass(ri.InvalidTraitError, ri.RefinerIdentityError)
    assert issubclass(ri.InvalidOptionError, ri.RefinerIdentityError)
    assert issubclass(ri.InvalidTraitError, ValueError)
