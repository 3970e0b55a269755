"""The README's Django example (examples/django_view.py) runs, and the README shows it verbatim."""
from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import pathlib

import pytest

HERE = pathlib.Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "django_view.py"
README = HERE.parents[1] / "README.md"


def test_readme_shows_the_example_verbatim() -> None:
    assert EXAMPLE.read_text() in README.read_text()


def test_django_view(monkeypatch: pytest.MonkeyPatch) -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes"],
            DATABASES={},
            SECRET_KEY="django-test-only",
        )
        django.setup()
    from django.contrib.auth.models import User
    from django.test import RequestFactory

    monkeypatch.setenv("REFINER_SECRET_KEY", "refiner-example-key")
    spec = importlib.util.spec_from_file_location("django_view", EXAMPLE)
    assert spec and spec.loader
    views = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(views)

    request = RequestFactory().get("/refiner-identity")
    request.user = User(pk=4711, username="jane")
    response = views.refiner_identity(request)
    body = json.loads(response.content)
    expected = hmac.new(b"refiner-example-key", b"4711", hashlib.sha256).hexdigest()
    assert body == {"id": "4711", "signature": expected}
