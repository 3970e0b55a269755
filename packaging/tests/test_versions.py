"""versions.py: catches a drift in any file that follows Cargo.toml, and `set` leaves none."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import versions  # noqa: E402

SCRIPT = os.path.join(os.path.dirname(HERE), "versions.py")


def run(root: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, SCRIPT, "--root", root, *args], capture_output=True, text=True)


@pytest.fixture
def tree(tmp_path):
    """A copy of every file that carries the version."""
    for path in {versions.SOURCE.path, *(place.path for place in versions.FOLLOWERS)}:
        os.makedirs(tmp_path / os.path.dirname(path), exist_ok=True)
        shutil.copy(os.path.join(versions.ROOT, path), tmp_path / path)
    return str(tmp_path)


def test_the_repository_has_one_version():
    result = run(versions.ROOT, "check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("place", versions.FOLLOWERS, ids=lambda p: f"{p.path}:{p.pattern[:30]}")
def test_a_drift_in_any_follower_fails_and_names_the_file(tree, place):
    path = os.path.join(tree, place.path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    match = re.search(place.pattern, text, re.MULTILINE)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text[: match.start(1)] + "9.9.9" + text[match.end(1) :])
    result = run(tree, "check")
    assert result.returncode != 0
    assert f"{place.path}: " in result.stderr and "9.9.9" in result.stderr


def test_set_writes_the_version_everywhere(tree):
    result = run(tree, "set", "2.3.4-rc.1")
    assert result.returncode == 0, result.stderr
    assert versions.source_version(tree) == "2.3.4-rc.1"
    assert versions.check(tree) == []
    for place in versions.FOLLOWERS:
        _, matches = versions.read(tree, place)
        assert {m.group(1) for m in matches} == {"2.3.4-rc.1"}, place.path


def test_set_refuses_what_is_not_a_version(tree):
    result = run(tree, "set", "v1.2")
    assert result.returncode != 0 and "not a semantic version" in result.stderr
    assert versions.check(tree) == []
