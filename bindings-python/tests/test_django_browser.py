"""The identify script in a real browser: the test project served on
127.0.0.1 (a free port) by Django's LiveServerThread, loaded by headless
chromium (`--dump-dom`). A stub _refiner records its arguments into the DOM;
the user's name and traits hold </script>, <!--, U+2028 and quotes."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import django_support
import pytest
from conftest import SECRET
from django.db import connections
from django.test import override_settings
from django.test.testcases import LiveServerThread

from testsite.users import HOSTILE
from testsite.views import BROWSER_USER, BROWSER_USER_PK

ENV_CANARY = "canary-django-browser-env-61c0a9e4"
EXPECTED_USER = {
    "id": str(BROWSER_USER_PK),
    "email": BROWSER_USER["email"],
    "name": f"{HOSTILE} Hostile",
    "bio": HOSTILE,
    "plan": "pro",
    "seats": 5,
}
EXPECTED_SIGNATURE = hmac.new(SECRET.encode(), str(BROWSER_USER_PK).encode(), hashlib.sha256).hexdigest()


@pytest.fixture(scope="module")
def live_server() -> Iterator[str]:
    with override_settings(REFINER_SECRET_KEY=SECRET):
        connection = connections["default"]
        connection.inc_thread_sharing()  # the in-memory test database, shared as LiveServerTestCase does
        server = LiveServerThread("127.0.0.1", lambda handler: handler, {"default": connection}, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        try:
            if server.error:
                raise server.error
            yield f"http://127.0.0.1:{server.port}"
        finally:
            server.terminate()
            connection.dec_thread_sharing()


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "chromium is not installed: `make setup` installs Debian's chromium"
    return found


def dump_dom(url: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
             "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True, text=True, timeout=240, check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Recorded(HTMLParser):
    """The text of the stub's <pre class="refiner-call"> elements and of <pre id="page-done">."""

    def __init__(self, dom: str) -> None:
        super().__init__()
        self.calls: list[str] = []
        self.done: list[str] = []
        self._into: list[str] | None = None
        self.feed(dom)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "pre" and attributes.get("class") == "refiner-call":
            self.calls.append("")
            self._into = self.calls
        elif tag == "pre" and attributes.get("id") == "page-done":
            self.done.append("")
            self._into = self.done
        else:
            self._into = None

    def handle_endtag(self, tag: str) -> None:
        self._into = None

    def handle_data(self, data: str) -> None:
        if self._into is not None:
            self._into[-1] += data


def load(url: str) -> tuple[list[Any], dict[str, Any]]:
    recorded = Recorded(dump_dom(url))
    assert len(recorded.done) == 1, "the page's last script did not run"
    return [json.loads(call) for call in recorded.calls], json.loads(recorded.done[0])


def assert_identified(calls: list[Any], done: dict[str, Any]) -> None:
    assert done == {"pwned": None}  # the injected script never ran
    assert len(calls) == 1
    method, user, options = calls[0]
    assert method == "identifyUser"
    assert user == EXPECTED_USER
    assert list(user) == list(EXPECTED_USER)  # the order the core wrote them in
    assert options == {"signature": EXPECTED_SIGNATURE}


def test_hostile_user_is_identified_with_the_exact_arguments(live_server: str) -> None:
    assert_identified(*load(f"{live_server}/browser/"))


def test_strict_csp_with_the_nonce_still_runs_the_call(live_server: str) -> None:
    with urllib.request.urlopen(f"{live_server}/csp/browser/") as response:
        policy = response.headers["Content-Security-Policy"]
        page = response.read().decode()
    assert policy.startswith("default-src 'none'; script-src 'nonce-")
    nonce = policy.split("'nonce-")[1].rstrip("'")
    assert f'<script nonce="{nonce}">_refiner(' in page
    assert_identified(*load(f"{live_server}/csp/browser/"))


def test_strict_csp_blocks_the_tag_rendered_without_the_nonce(live_server: str) -> None:
    with urllib.request.urlopen(f"{live_server}/csp/browser-without-nonce/") as response:
        page = response.read().decode()
    assert "<script>_refiner('identifyUser'," in page  # rendered, but with no nonce
    calls, done = load(f"{live_server}/csp/browser-without-nonce/")
    assert done == {"pwned": None}
    assert calls == []  # blocked by the browser, while the nonce'd scripts around it ran


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def runserver(env: dict[str, str]) -> tuple[subprocess.Popen[str], int]:
    """`manage.py runserver` on a free port of 127.0.0.1, once it listens (another
    port if one was taken between our probe and its bind)."""
    for _ in range(5):
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=django_support.PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        while server.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return server, port
            except OSError:
                time.sleep(0.1)
        output = server.communicate()[0]
        assert "That port is already in use" in output, output
    raise AssertionError("runserver found no free port in 5 tries")


def test_debug_page_of_runserver_never_shows_the_key() -> None:
    # Under runserver, request.META carries the process environment, so the
    # key read from REFINER_SECRET_KEY is on the debug page unless masked.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(REFINER_SECRET_KEY=ENV_CANARY, TESTSITE_SETTINGS=repr({"DEBUG": True}))
    server, port = runserver(env)
    try:
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/boom/", timeout=120)
        page = failed.value.read().decode()
    finally:
        server.terminate()
        output = server.communicate(timeout=60)[0]
    assert failed.value.code == 500
    assert "boom after identifying the user" in page
    assert "REFINER_SECRET_KEY" in page  # listed among the request's META, masked
    assert ENV_CANARY not in page
    assert ENV_CANARY not in output
