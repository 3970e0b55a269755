"""Decodes the tagged values of tests/vectors/vectors.json (and the conformance
suite's cases) into Python values. Shared by the tests and the conformance driver."""
from __future__ import annotations

from typing import Any


def python_value(tagged: dict[str, Any]) -> Any:
    """The Python value a tagged value stands for."""
    ((tag, value),) = tagged.items()
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
    raise ValueError(f"tag {tag} has no Python value")
