"""Shared helpers: the vectors file, and the standard library's HMAC as the reference."""
from __future__ import annotations

import hashlib
import hmac
import json
import pathlib
from typing import Any

import pytest

VECTORS_PATH = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "vectors.json"
SECRET = "py-test-secret-that-must-never-leak-7f3a"


def reference(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def python_value(tagged: dict[str, Any]) -> Any:
    """The Python value a tagged vectors.json value stands for."""
    (tag, value), = tagged.items()
    if tag == "text":
        return value
    if tag == "hex":
        return bytes.fromhex(value)
    if tag == "int":
        return int(value)
    if tag == "float":
        return float(value)
    if tag in ("bool", "list"):
        return value
    if tag == "null":
        return None
    if tag == "lone_surrogate":
        return chr(int(value, 16))
    raise ValueError(f"unknown tag {tag}")


@pytest.fixture(scope="session")
def vectors() -> dict[str, Any]:
    return json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
