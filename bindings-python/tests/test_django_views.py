"""refiner_identity.django.views.identify, the JSON endpoint, through Django's
test client; the expected payload comes from the standard-library reference."""
from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Iterator

import channels_reference as ref
import django_support
import pytest
from conftest import SECRET
from django.test import Client, override_settings

URL = "/refiner/identify"


@pytest.fixture(autouse=True)
def refiner_key() -> Iterator[None]:
    with override_settings(REFINER_SECRET_KEY=SECRET):
        yield


def test_logged_in_user_gets_the_payload_uncached() -> None:
    user = django_support.make_user("Jane", "Doe", "jane@example.com")
    client = Client()
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    expected = ref.identify_payload_json(SECRET, user.pk, email="jane@example.com", name="Jane Doe")
    assert json.loads(body) == json.loads(expected)
    assert list(json.loads(body)["user"]) == ["id", "email", "name"]


def test_anonymous_user_is_forbidden() -> None:
    response = Client().get(URL)
    assert response.status_code == 403
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {"error": "NotAuthenticated"}


def test_refused_user_is_a_500_with_the_error_kind_and_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    user = django_support.make_user("Jane", "FloatTrait")
    client = Client()
    client.force_login(user)
    with caplog.at_level(logging.WARNING):
        response = client.get(URL)
    assert response.status_code == 500
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {"error": "InvalidTraitError", "field": "traits.score"}
    ours = [r.getMessage() for r in caplog.records if r.name == "refiner_identity.django"]
    assert len(ours) == 1 and "traits.score" in ours[0]
    assert all(SECRET not in r.getMessage() for r in caplog.records)


def test_only_get_and_head() -> None:
    user = django_support.make_user()
    client = Client()
    client.force_login(user)
    assert client.post(URL).status_code == 405
    assert client.head(URL).status_code == 200


def test_ordered_dict_traits_keep_their_own_order() -> None:
    user = django_support.make_user("Jane", "Doe", "jane@example.com")
    traits = OrderedDict(b=1, a=2)
    traits.move_to_end("b")  # iterates a, b; stored b, a

    def fields(_user: object) -> dict[str, object]:
        return {"traits": traits}

    client = Client()
    client.force_login(user)
    with override_settings(REFINER_USER_TRAITS=fields):
        body = client.get(URL).content.decode()
    assert json.loads(body) == json.loads(ref.identify_payload_json(SECRET, user.pk, traits={"a": 2, "b": 1}))
    assert list(json.loads(body)["user"]) == ["id", "a", "b"]
