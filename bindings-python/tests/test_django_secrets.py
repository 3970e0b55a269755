"""A canary key never reaches a template context, a log record or Django's
debug error page (rendered with DEBUG=True and searched)."""
from __future__ import annotations

import logging
from collections.abc import Iterator

import django_support
import pytest
from django.test import Client, override_settings
from django.test.utils import ContextList

CANARY = "canary-django-secret-5d2c9a71"
PREVIOUS = "canary-django-previous-0e8b44f3"
ENV_CANARY = "canary-django-environ-93a6c1d2"
CANARIES = (CANARY, PREVIOUS, ENV_CANARY)


@pytest.fixture
def canary_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("REFINER_SECRET_KEY", ENV_CANARY)
    with override_settings(REFINER_SECRET_KEY=CANARY, REFINER_PREVIOUS_SECRET_KEYS=[PREVIOUS]):
        yield


def leaked(text: str) -> list[str]:
    return [canary for canary in CANARIES if canary in text]


def debug_page(path: str, user_last_name: str = "Doe") -> str:
    client = Client(raise_request_exception=False)
    client.force_login(django_support.make_user("Jane", user_last_name))
    with override_settings(DEBUG=True):
        response = client.get(path)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Traceback" in page  # Django's technical 500 page, not the plain one
    return page


def test_template_context_never_holds_the_key(canary_key: None) -> None:
    client = Client()
    client.force_login(django_support.make_user())
    response = client.get("/page/")
    assert "<script>_refiner(" in response.content.decode()
    contexts = response.context if isinstance(response.context, ContextList) else [response.context]
    for context in contexts:
        for name, value in context.flatten().items():
            assert not leaked(f"{name}={value!r} {getattr(value, '__dict__', '')!r}")
    assert not leaked(repr(response.wsgi_request.__dict__))


def test_debug_page_after_the_user_was_identified(canary_key: None) -> None:
    page = debug_page("/boom/")
    assert "boom after identifying the user" in page
    assert "REFINER_SECRET_KEY" in page  # the settings are listed, with the key masked
    assert not leaked(page)


def test_debug_page_when_the_user_fields_function_fails(canary_key: None) -> None:
    page = debug_page("/page/", user_last_name="Raises")
    assert "the traits function failed" in page
    assert not leaked(page)


@pytest.mark.parametrize("bad_key", [CANARY + "\n", " " + CANARY])
def test_debug_page_of_a_padded_key(monkeypatch: pytest.MonkeyPatch, bad_key: str) -> None:
    monkeypatch.setenv("REFINER_SECRET_KEY", ENV_CANARY)
    with override_settings(REFINER_SECRET_KEY=bad_key):
        page = debug_page("/page/")
    assert "refiner_identity.E003" in page
    assert not leaked(page)


def test_logs_never_hold_the_key(canary_key: None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        debug_page("/boom/")
        debug_page("/page/", user_last_name="Raises")
        client = Client()
        client.force_login(django_support.make_user("Jane", "FloatTrait"))
        assert client.get("/refiner/identify").status_code == 500
        client.get("/page/")
    assert any(record.name == "refiner_identity.django" for record in caplog.records)
    assert any(record.name == "django.request" for record in caplog.records)
    for record in caplog.records:
        assert not leaked(record.getMessage())
        assert not leaked(logging.Formatter().format(record))
