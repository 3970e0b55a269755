"""{% refiner_identify_user %} and {% refiner_survey_link %} in the test
project (django_project/), through Django's test client and template engine;
expected output from the standard-library reference (channels_reference.py)."""
from __future__ import annotations

import html
import logging
import re
import uuid
from collections.abc import Iterator
from typing import Any

import channels_reference as ref
import django_support
import pytest
from conftest import SECRET
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.utils.functional import SimpleLazyObject

SURVEY_URL = "https://refiner.example/s/abc?src=mail"
LOGGER = "refiner_identity.django"


@pytest.fixture(autouse=True)
def refiner_key() -> Iterator[None]:
    with override_settings(REFINER_SECRET_KEY=SECRET):
        yield


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def scripts(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>.*?</script>", page, re.S)


def survey_href(page: str) -> str:
    match = re.search(r'<a id="survey" href="([^"]*)"', page)
    assert match, page
    return html.unescape(match[1])


def render_page(user: Any, **context: Any) -> str:
    request = RequestFactory().get("/page/")
    request.user = user
    return render_to_string("page.html", {"survey_url": SURVEY_URL, **context}, request=request)


def refiner_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == LOGGER]


def test_logged_in_user_gets_the_identify_script_and_a_signed_survey_link() -> None:
    user = django_support.make_user("Jane", "Doe", "jane@example.com")
    page = logged_in(user).get("/page/").content.decode()
    identity = {"email": "jane@example.com", "name": "Jane Doe"}
    assert scripts(page) == [ref.script_tag(SECRET, user.pk, **identity)]
    assert survey_href(page) == ref.survey_link(SECRET, SURVEY_URL, user.pk, **identity, locale="de")


def test_anonymous_user_gets_nothing() -> None:
    page = Client().get("/page/").content.decode()
    assert scripts(page) == []
    assert survey_href(page) == ""
    assert "signature" not in page


def test_unsaved_user_gets_nothing() -> None:
    page = render_page(User(username="not-saved-yet", email="new@example.com"))
    assert scripts(page) == []
    assert survey_href(page) == ""


def test_anonymous_user_object_gets_nothing() -> None:
    assert scripts(render_page(AnonymousUser())) == []


def test_uuid_primary_key_is_signed_as_its_text() -> None:
    pk = uuid.UUID("12345678-1234-5678-1234-567812345678")
    page = render_page(User(pk=pk, username="uuid", email="u@example.com"))
    assert scripts(page) == [ref.script_tag(SECRET, str(pk), email="u@example.com")]


def test_django_csp_nonce_on_the_request_goes_into_the_tag() -> None:
    user = django_support.make_user("Jane", "Doe")
    response = logged_in(user).get("/csp/page/")
    nonce = re.fullmatch(r"default-src 'none'; script-src 'nonce-([A-Za-z0-9_-]+)'",
                         response["Content-Security-Policy"])
    assert nonce, response["Content-Security-Policy"]
    assert scripts(response.content.decode()) == [
        ref.script_tag(SECRET, user.pk, email="jane@example.com", name="Jane Doe", nonce=nonce[1])
    ]


def test_lazy_request_nonce_is_evaluated() -> None:
    # django-csp sets request.csp_nonce as a lazy object.
    request = RequestFactory().get("/page/")
    request.user = User(pk=7, username="lazy")
    request.csp_nonce = SimpleLazyObject(lambda: "lazyNonce42")  # type: ignore[attr-defined]
    page = render_to_string("page.html", {"survey_url": SURVEY_URL}, request=request)
    assert scripts(page) == [ref.script_tag(SECRET, 7, nonce="lazyNonce42")]


def test_django6_csp_nonce_context_variable_goes_into_the_tag() -> None:
    # Django 6's csp() context processor puts the nonce in the context as csp_nonce.
    request = RequestFactory().get("/page/")
    request.user = User(pk=7, username="ctx")
    request.csp_nonce = "requestNonce"  # type: ignore[attr-defined]
    page = render_to_string("page.html", {"survey_url": SURVEY_URL, "csp_nonce": "contextNonce"}, request=request)
    assert scripts(page) == [ref.script_tag(SECRET, 7, nonce="contextNonce")]


@pytest.mark.parametrize(
    ("last_name", "field", "kind"),
    [("FloatTrait", "traits.score", "InvalidTraitError"), ("BadTraitName", "traits.bad name", "InvalidTraitError"),
     ("LongEmail", "email", "InvalidTraitError")],
)
def test_refused_field_logs_one_warning_naming_it_and_renders_nothing(
    caplog: pytest.LogCaptureFixture, last_name: str, field: str, kind: str
) -> None:
    user = django_support.make_user("Jane", last_name)
    with caplog.at_level(logging.DEBUG):
        response = logged_in(user).get("/page/")
    page = response.content.decode()
    assert response.status_code == 200
    assert scripts(page) == []
    assert survey_href(page) == ""
    warnings = refiner_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert f"the user's {field} was refused ({kind}: " in warnings[0]
    assert all(SECRET not in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(("pk", "kind"), [("", "InvalidUserIdError"), ("\ud800", "InvalidUserIdError"),
                                          (1.5, "TypeError"), (True, "TypeError")])
def test_refused_id_logs_one_warning_and_renders_nothing(
    caplog: pytest.LogCaptureFixture, pk: Any, kind: str
) -> None:
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        page = render_page(User(pk=pk, username="odd"))
    assert scripts(page) == []
    assert survey_href(page) == ""
    warnings = refiner_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert f"the user's id was refused ({kind}: " in warnings[0]


def test_refused_nonce_logs_a_warning_without_the_nonce(caplog: pytest.LogCaptureFixture) -> None:
    request = RequestFactory().get("/page/")
    request.user = User(pk=7, username="n")
    request.csp_nonce = "not a nonce <script>"  # type: ignore[attr-defined]
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        page = render_to_string("page.html", {"survey_url": SURVEY_URL}, request=request)
    assert scripts(page) == []
    # The survey link does not use the nonce.
    assert survey_href(page) == ref.survey_link(SECRET, SURVEY_URL, 7, locale="de")
    warnings = refiner_warnings(caplog)
    assert len(warnings) == 1 and "invalid nonce" in warnings[0]
    assert "not a nonce" not in warnings[0]


def test_user_fields_are_read_once_per_request() -> None:
    calls: list[Any] = []

    def fields(user: Any) -> dict[str, Any]:
        calls.append(user)
        return {"traits": {"plan": "pro"}}

    user = django_support.make_user()
    with override_settings(REFINER_USER_TRAITS=fields):
        page = logged_in(user).get("/page/").content.decode()
    assert len(calls) == 1  # the tag and the survey link share one reading
    assert scripts(page) == [ref.script_tag(SECRET, user.pk, traits={"plan": "pro"})]


def test_dict_subclasses_are_read_as_stored() -> None:
    class Lying(dict):  # type: ignore[type-arg]
        def get(self, key: Any, default: Any = None) -> Any:
            return "lie@example.com"

        def __getitem__(self, key: Any) -> Any:
            return "lie"

        def items(self) -> Any:
            return [("plan", "lie")]

        def keys(self) -> Any:
            return ["plan"]

        def __iter__(self) -> Any:
            return iter(["plan"])

    def fields(user: Any) -> dict[str, Any]:
        return Lying(email="true@example.com", traits=Lying(plan="pro", seats=3))

    request = RequestFactory().get("/page/")
    request.user = User(pk=9, username="lying")
    with override_settings(REFINER_USER_TRAITS=fields):
        page = render_to_string("page.html", {"survey_url": SURVEY_URL}, request=request)
    assert scripts(page) == [ref.script_tag(SECRET, 9, email="true@example.com", traits={"plan": "pro", "seats": 3})]


@pytest.mark.parametrize(("result", "says"), [(["email"], "not list"), ({"plan": "pro"}, "returned plan")])
def test_a_user_fields_function_returning_the_wrong_shape_is_a_configuration_error(result: Any, says: str) -> None:
    with override_settings(REFINER_USER_TRAITS=lambda user: result), pytest.raises(ImproperlyConfigured, match=says):
        render_page(User(pk=3, username="shape"))


def test_template_without_the_request_is_a_configuration_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="needs the request"):
        Client().get("/page-without-request/")


@pytest.mark.parametrize(("key", "code"), [(" " + SECRET, "E003"), ("", "E002"), (SECRET + "\n", "E003")])
def test_bad_key_fails_the_render_loudly_without_showing_it(key: str, code: str) -> None:
    with override_settings(REFINER_SECRET_KEY=key), pytest.raises(ImproperlyConfigured) as raised:
        render_page(User(pk=3, username="misconfigured"))
    assert f"refiner_identity.{code}" in str(raised.value)
    assert SECRET not in str(raised.value)


def test_no_request_object_is_not_mistaken_for_one() -> None:
    from django.template import Context, Template

    with pytest.raises(ImproperlyConfigured, match="needs the request"):
        Template("{% load refiner %}{% refiner_identify_user %}").render(Context({"request": "a string"}))
    assert isinstance(RequestFactory().get("/"), HttpRequest)


def test_identify_user_command_prints_the_tag_for_make_demo() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("identify_user", "42", "--first-name", "Jane", "--last-name", "Doe", "--email", "j@example.com",
                 stdout=out)
    assert out.getvalue() == ref.script_tag(SECRET, 42, email="j@example.com", name="Jane Doe") + "\n"
