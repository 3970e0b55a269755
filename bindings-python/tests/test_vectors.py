"""Every case of the shared vectors file (signatures from the reference snippets)."""
from __future__ import annotations

import json
from typing import Any

import pytest
import refiner_identity as ri
from conftest import VECTORS_PATH, python_value

ERRORS = {"InvalidSecret": ri.InvalidSecretError, "InvalidUserId": ri.InvalidUserIdError, "TypeError": TypeError}
VECTORS = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
REJECTED = [case for case in VECTORS["rejected"] if "python" in case["expect"]]


def test_vectors_file_is_complete() -> None:
    assert len(VECTORS["cases"]) >= 150
    assert len(REJECTED) >= 15


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda case: case["name"])
def test_case(case: dict[str, Any]) -> None:
    secret, user_id, expected = python_value(case["secret"]), python_value(case["user_id"]), case["signature"]
    signer = ri.Signer(secret)
    assert ri.sign(secret, user_id) == expected
    assert signer.sign(user_id) == expected
    assert signer.sign_many([user_id, user_id]) == [expected, expected]
    assert ri.verify(secret, user_id, expected.upper())
    assert signer.verify(user_id, expected.encode())
    if isinstance(user_id, bytes):
        assert signer.sign(bytearray(user_id)) == expected


@pytest.mark.parametrize("case", REJECTED, ids=lambda case: case["name"])
def test_rejected(case: dict[str, Any]) -> None:
    error = ERRORS[case["expect"]["python"]]
    secret, user_id = python_value(case["secret"]), python_value(case["user_id"])
    attempts = [lambda: ri.sign(secret, user_id), lambda: ri.verify(secret, user_id, "0" * 64)]
    if error is not ri.InvalidSecretError and not isinstance(secret, (type(None), int)):
        signer = ri.Signer(secret)
        attempts += [lambda: signer.sign(user_id), lambda: signer.verify(user_id, "0" * 64)]
        attempts += [lambda: signer.sign_many(["ok", user_id])]
    else:
        attempts += [lambda: ri.Signer(secret)]
    for attempt in attempts:
        with pytest.raises(error) as raised:
            attempt()
        assert type(raised.value) is error, raised.value
