"""The public surface: exports, exception hierarchy, docstrings, version, type errors."""
from __future__ import annotations

import doctest
import pathlib
import re

import pytest
import refiner_identity as ri

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_exception_hierarchy() -> None:
    assert issubclass(ri.RefinerIdentityError, ValueError)
    assert issubclass(ri.InvalidSecretError, ri.RefinerIdentityError)
    assert issubclass(ri.InvalidUserIdError, ri.RefinerIdentityError)
    for cls in (ri.RefinerIdentityError, ri.InvalidSecretError, ri.InvalidUserIdError, ri.Signer):
        assert cls.__module__ == "refiner_identity"


def test_every_public_name_has_a_docstring() -> None:
    for name in ri.__all__:
        obj = getattr(ri, name)
        if callable(obj):
            assert obj.__doc__, name
    for method in ("sign", "verify", "sign_many", "from_env"):
        assert getattr(ri.Signer, method).__doc__, method


def test_version_matches_cargo() -> None:
    cargo = (ROOT / "Cargo.toml").read_text()
    match = re.search(r'^version = "([^"]+)"', cargo, re.M)
    assert match and ri.__version__ == match.group(1)


def test_module_doctest() -> None:
    result = doctest.testmod(ri, raise_on_error=True)
    assert result.attempted >= 1


@pytest.mark.parametrize("bad", [None, 1.5, True, ["x"], object()])
def test_secret_type_errors(bad: object) -> None:
    with pytest.raises(TypeError, match="secret must be str or bytes"):
        ri.Signer(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [None, 42, ["0" * 64]])
def test_signature_type_errors(bad: object) -> None:
    with pytest.raises(TypeError, match="signature must be str or bytes"):
        ri.verify("key", "42", bad)  # type: ignore[arg-type]


def test_malformed_signatures_are_false() -> None:
    good = ri.sign("key", "42")
    for bad in ["", good[:-1], good + "0", "g" * 64, " " + good[1:], "\ud800" * 64, b"\xff" * 64]:
        assert ri.verify("key", "42", bad) is False


def test_int_subclass_uses_int_decimal() -> None:
    import enum

    class Color(enum.IntEnum):
        RED = 7

    big = Color.RED + 10**40
    assert ri.sign("key", Color.RED) == ri.sign("key", "7")
    assert ri.sign("key", big) == ri.sign("key", str(int(big)))


def test_previous_keys_verify_only() -> None:
    old = ri.sign("old-key", "42")
    signer = ri.Signer("new-key", previous=["old-key", b"older-key"])
    assert signer.verify("42", old)
    assert signer.sign("42") == ri.sign("new-key", "42") != old
    with pytest.raises(ri.InvalidSecretError, match=r"previous\[1\]"):
        ri.Signer("new-key", previous=["ok", "bad\n"])
