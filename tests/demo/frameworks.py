"""make demo's framework row: the identify call that the Django app, the
Express and Fastify apps and the Rails app each render for one user (Ada
Lovelace, id 42, ada@example.com, plan "pro"), through each framework's own
integration, and whether they are identical.

Django: the test project's `manage.py identify_user` ({% refiner_identify_user %});
Express and Fastify: bindings-node/scripts/frameworks-demo.mjs (both apps on
127.0.0.1, fetched); Rails: the test app's layout, requested through Rack."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
USER = {"id": 42, "email": "ada@example.com", "name": "Ada Lovelace", "traits": {"plan": "pro"}}
# The call inside the script element a template tag renders.
IDENTIFY_CALL = re.compile(r"_refiner\('identifyUser',.*?\);(?=</script>)", re.S)


def run(command: list[str], key: str, cwd: str = ROOT, stdin: str | None = None) -> str:
    env = dict(os.environ, REFINER_SECRET_KEY=key)
    done = subprocess.run(command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    return done.stdout


def django(key: str) -> str:
    project = os.path.join(ROOT, "bindings-python", "tests", "django_project")
    first, last = USER["name"].split()
    page = run([sys.executable, "manage.py", "identify_user", str(USER["id"]), "--first-name", first,
                "--last-name", last, "--email", USER["email"]], key, cwd=project)
    found = IDENTIFY_CALL.search(page)
    if found is None:
        raise RuntimeError(f"{{% refiner_identify_user %}} rendered no identify call: {page!r}")
    return found.group(0)


def node(key: str) -> dict[str, str]:
    script = os.path.join(ROOT, "bindings-node", "scripts", "frameworks-demo.mjs")
    out = run(["node", script], key, stdin=json.dumps({"key": key, "user": USER}))
    calls: dict[str, str] = json.loads(out)
    return calls


def rails(key: str) -> str:
    lib = os.path.join(ROOT, "bindings-ruby", "lib")
    script = os.path.join(ROOT, "bindings-ruby", "test", "rails", "print_identify_call.rb")
    return run(["ruby", "-I", lib, script, "ada"], key).strip()


def main(key: str) -> bool:
    """Prints the calls; true when all four are identical."""
    from_node = node(key)
    calls = {
        "Django {% refiner_identify_user %}": django(key),
        "Express refinerIdentity() middleware": from_node["express"],
        "Fastify refinerIdentity plugin": from_node["fastify"],
        "Rails refiner_identify_user_tag": rails(key),
    }
    width = max(map(len, calls))
    print(f"identify call for {USER['name']} (id {USER['id']}), as each framework integration renders it")
    for name, call in calls.items():
        print(f"  {name:<{width}}  {call}")
    identical = len(set(calls.values())) == 1
    # The signature in the call, against Python's hmac (an independent reference).
    expected = hmac.new(key.encode(), str(USER["id"]).encode(), hashlib.sha256).hexdigest()
    signed = all(f'{{"signature":"{expected}"}}' in call for call in calls.values())
    print(f"  -> {'identical' if identical else 'MISMATCH'}; signature "
          f"{'equals' if signed else 'DIFFERS FROM'} Python's hmac ({expected})\n")
    return identical and signed
