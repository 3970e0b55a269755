"""The secret never appears in a repr, an exception message or a traceback."""
from __future__ import annotations

import os
import traceback

import pytest
import refiner_identity as ri
from conftest import SECRET

LEAKY_SECRETS = [f"{SECRET}\n", f" {SECRET}", f"{SECRET}\r\n", f"{SECRET}\ud800"]


def assert_no_secret(text: str) -> None:
    assert SECRET not in text, text
    assert SECRET[:12] not in text, text


def test_repr_is_redacted() -> None:
    signer = ri.Signer(SECRET, previous=[SECRET + "-old"])
    assert "redacted" in repr(signer)
    assert_no_secret(repr(signer))
    assert_no_secret(str(signer))
    assert signer.previous_count == 1


@pytest.mark.parametrize("secret", LEAKY_SECRETS)
def test_errors_never_contain_the_secret(secret: str) -> None:
    for attempt in (lambda: ri.sign(secret, "42"), lambda: ri.Signer(secret),
                    lambda: ri.Signer("ok", previous=[secret]), lambda: ri.verify(secret, "42", "0" * 64)):
        with pytest.raises(ri.InvalidSecretError) as raised:
            attempt()
        assert_no_secret(str(raised.value))
        assert_no_secret(repr(raised.value))
        assert_no_secret("".join(traceback.format_exception(raised.value)))
        assert raised.value.__cause__ is None and raised.value.__context__ is None


def test_padding_message_explains_the_newline() -> None:
    with pytest.raises(ri.InvalidSecretError, match="newline picked up from a file or an environment variable"):
        ri.Signer(f"{SECRET}\n")


def test_user_id_errors_never_contain_the_secret() -> None:
    for attempt in (lambda: ri.sign(SECRET, ""), lambda: ri.sign(SECRET, None), lambda: ri.sign(SECRET, "\ud800")):
        with pytest.raises((ri.InvalidUserIdError, TypeError)) as raised:
            attempt()
        assert_no_secret("".join(traceback.format_exception(raised.value)))


def test_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "REFINER_IDENTITY_PY_TEST_KEY"
    monkeypatch.delenv(name, raising=False)
    with pytest.raises(ri.InvalidSecretError, match=name):
        ri.Signer.from_env(name)
    monkeypatch.setenv(name, "")
    with pytest.raises(ri.InvalidSecretError, match="empty"):
        ri.Signer.from_env(name)
    monkeypatch.setenv(name, SECRET + "\n")
    with pytest.raises(ri.InvalidSecretError) as raised:
        ri.Signer.from_env(name)
    assert_no_secret(str(raised.value))
    monkeypatch.setenv(name, SECRET)
    assert ri.Signer.from_env(name).sign("42") == ri.sign(SECRET, "42")
    monkeypatch.setenv("REFINER_SECRET_KEY", SECRET)
    assert ri.Signer.from_env().sign("42") == ri.sign(SECRET, "42")
    assert os.environ[name] == SECRET
