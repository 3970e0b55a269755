"""Shared helpers: the vectors file, and the standard library's HMAC as the reference."""
from __future__ import annotations

import hashlib
import hmac
import json
import pathlib
from typing import Any

import pytest
from tagged import python_value  # noqa: F401  (re-exported for the tests)

VECTORS_PATH = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "vectors.json"
SECRET = "py-test-secret-that-must-never-leak-7f3a"


def reference(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@pytest.fixture(scope="session")
def vectors() -> dict[str, Any]:
    return json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
