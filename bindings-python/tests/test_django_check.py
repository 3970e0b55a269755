"""`manage.py check` (and `runserver`, which runs the checks before it starts)
in a subprocess of the test project: a missing, empty, padded or mistyped key
is an error with its id, and the key is never shown."""
from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import django_support
import pytest

CANARY = "canary-django-check-7b1f0e2d"


def manage(*args: str, env_key: str | None = None, settings: dict[str, Any] | None = None) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REFINER_SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    if env_key is not None:
        env["REFINER_SECRET_KEY"] = env_key
    env["TESTSITE_SETTINGS"] = repr(settings or {})
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=django_support.PROJECT, env=env,
        capture_output=True, text=True, timeout=300, check=False,
    )
    return done.returncode, done.stdout + done.stderr


def test_a_good_key_from_the_environment_passes() -> None:
    code, output = manage("check", env_key=CANARY)
    assert code == 0, output
    assert "System check identified no issues" in output
    assert CANARY not in output


def test_a_good_key_from_the_settings_with_previous_keys_passes() -> None:
    code, output = manage("check", settings={"REFINER_SECRET_KEY": CANARY, "REFINER_PREVIOUS_SECRET_KEYS": ["old"]})
    assert code == 0, output


@pytest.mark.parametrize(
    ("env_key", "settings", "error", "says"),
    [
        (None, {}, "E001", "neither settings.REFINER_SECRET_KEY nor the environment variable REFINER_SECRET_KEY"),
        ("", {}, "E002", "environment variable REFINER_SECRET_KEY is empty"),
        (CANARY + "\n", {}, "E003", "environment variable REFINER_SECRET_KEY starts or ends with a space"),
        (None, {"REFINER_SECRET_KEY": ""}, "E002", "settings.REFINER_SECRET_KEY is empty"),
        (None, {"REFINER_SECRET_KEY": " " + CANARY}, "E003", "settings.REFINER_SECRET_KEY starts or ends"),
        (None, {"REFINER_SECRET_KEY": CANARY.encode() + b"\t"}, "E003", "settings.REFINER_SECRET_KEY starts or ends"),
        (None, {"REFINER_SECRET_KEY": 12345}, "E004", "must be str or bytes, not int"),
        # What os.environ gives for bytes that are not UTF-8: not a padded key.
        (None, {"REFINER_SECRET_KEY": CANARY + "\udcff"}, "E007",
         "settings.REFINER_SECRET_KEY contains a lone surrogate"),
        (None, {"REFINER_SECRET_KEY": "k", "REFINER_PREVIOUS_SECRET_KEYS": ["ok", CANARY + " "]}, "E005",
         "previous[1]"),
        (None, {"REFINER_SECRET_KEY": "k", "REFINER_PREVIOUS_SECRET_KEYS": CANARY}, "E005",
         "must be a list or tuple of keys, not str"),
        (CANARY, {"REFINER_USER_TRAITS": "testsite.users.missing"}, "E006", "cannot be imported"),
        (CANARY, {"REFINER_USER_TRAITS": 5}, "E006", "must be a function or its dotted path, not int"),
    ],
    ids=["missing", "empty-env", "padded-env", "empty-setting", "padded-setting", "padded-bytes", "not-text",
         "lone-surrogate", "bad-previous", "previous-not-a-list", "traits-path", "traits-type"],
)
def test_misconfiguration_is_a_check_error_with_an_id(
    env_key: str | None, settings: dict[str, Any], error: str, says: str
) -> None:
    code, output = manage("check", env_key=env_key, settings=settings)
    assert code == 1, output
    assert f"?: (refiner_identity.{error}) " in output, output
    assert says in output, output
    assert CANARY not in output


def test_runserver_refuses_to_start_with_a_padded_key() -> None:
    # The checks run before the server binds, so nothing ever listens.
    code, output = manage("runserver", "--noreload", "127.0.0.1:0", env_key=CANARY + "\n")
    assert code == 1, output
    assert "refiner_identity.E003" in output
    assert CANARY not in output


def test_the_package_itself_never_imports_django() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys, refiner_identity; print(sorted(m for m in sys.modules if 'django' in m))"],
        capture_output=True, text=True, timeout=120, check=True, cwd="/",
    )
    assert done.stdout.strip() == "[]"
