#!/usr/bin/env python3
"""make demo: sign a few demo user ids with a demo key through every
implementation we ship and every reference snippet, print them side by side,
then the identify call each framework integration renders for one user
(frameworks.py), and fail unless all are identical."""
from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from typing import Callable, Sequence, Union

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "references"))
import driver  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import frameworks  # noqa: E402

DEMO_KEY = "demo-secret-key-do-not-use-in-production"
DEMO_IDS: list[Union[str, int]] = ["user_42", 1234567890, "jane.doe@example.com", "José Müller 山田"]
CLI = os.path.join(ROOT, "target", "release", "refiner-identity")

Signer = Callable[[str, Sequence[Union[str, int]]], list[str]]


def cli(key: str, ids: Sequence[Union[str, int]]) -> list[str]:
    env = dict(os.environ, REFINER_SECRET_KEY=key)
    out = subprocess.run([CLI, "sign", "--", *map(str, ids)], env=env, capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def python_binding(key: str, ids: Sequence[Union[str, int]]) -> list[str]:
    import refiner_identity

    return [refiner_identity.sign(key, uid) for uid in ids]


def python_signer_many(key: str, ids: Sequence[Union[str, int]]) -> list[str]:
    import refiner_identity

    return refiner_identity.Signer(key).sign_many(ids)


NODE_SCRIPT = """
const { sign, Signer } = require(process.argv[1])
const [key, ...ids] = JSON.parse(require('node:fs').readFileSync(0, 'utf8'))
const values = ids.map((id) => (typeof id === 'number' ? BigInt(id) : id))
console.log(JSON.stringify({ sign: values.map((id) => sign(key, id)), signMany: new Signer(key).signMany(values) }))
"""


@functools.lru_cache(maxsize=None)  # one process serves both Node rows
def node_binding_cached(key: str, ids: tuple) -> dict[str, list[str]]:
    return node_binding(key, ids)


def node_binding(key: str, ids: Sequence[Union[str, int]]) -> dict[str, list[str]]:
    module = os.path.join(ROOT, "bindings-node")
    out = subprocess.run(["node", "-e", NODE_SCRIPT, module], input=json.dumps([key, *ids]),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


RUBY_SCRIPT = """
require "json"
require "refiner_identity"
key, *ids = JSON.parse($stdin.read)
puts JSON.generate(sign: ids.map { |id| RefinerIdentity.sign(key, id) },
                   sign_many: RefinerIdentity::Signer.new(key).sign_many(ids))
"""


@functools.lru_cache(maxsize=None)  # one process serves both Ruby rows
def ruby_binding_cached(key: str, ids: tuple) -> dict[str, list[str]]:
    return ruby_binding(key, ids)


def ruby_binding(key: str, ids: Sequence[Union[str, int]]) -> dict[str, list[str]]:
    lib = os.path.join(ROOT, "bindings-ruby", "lib")
    out = subprocess.run(["ruby", "-I", lib, "-e", RUBY_SCRIPT], input=json.dumps([key, *ids]),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def implementations() -> dict[str, Signer]:
    """Ours first, then the references."""
    return {
        "refiner-identity CLI": cli,
        "python refiner_identity.sign": python_binding,
        "python Signer.sign_many": python_signer_many,
        "node sign": lambda key, ids: node_binding_cached(key, tuple(ids))["sign"],
        "node Signer.signMany": lambda key, ids: node_binding_cached(key, tuple(ids))["signMany"],
        "ruby RefinerIdentity.sign": lambda key, ids: ruby_binding_cached(key, tuple(ids))["sign"],
        "ruby Signer#sign_many": lambda key, ids: ruby_binding_cached(key, tuple(ids))["sign_many"],
    }


def as_reference_input(uid: Union[str, int]) -> driver.UserIdInput:
    return uid if isinstance(uid, int) else uid.encode("utf-8")


def main() -> int:
    rows: dict[str, list[str]] = {name: sign(DEMO_KEY, DEMO_IDS) for name, sign in implementations().items()}
    references = driver.start_all()
    try:
        cases = [(DEMO_KEY.encode(), as_reference_input(uid)) for uid in DEMO_IDS]
        for name, signatures in driver.sign_everywhere(references, cases).items():
            rows[f"reference: {name}"] = signatures
    finally:
        for ref in references:
            ref.close()

    width = max(map(len, rows))
    print(f"demo key: {DEMO_KEY!r}\n")
    all_equal = True
    for i, uid in enumerate(DEMO_IDS):
        print(f"user id {uid!r} ({type(uid).__name__})")
        print(f"  {'implementation':<{width}}  signature")
        print(f"  {'-' * width}  {'-' * 64}")
        for name, signatures in rows.items():
            print(f"  {name:<{width}}  {signatures[i]}")
        agreed = len({signatures[i] for signatures in rows.values()}) == 1
        all_equal &= agreed
        print(f"  -> {'identical' if agreed else 'MISMATCH'}\n")
    frameworks_agree = frameworks.main(DEMO_KEY)
    if all_equal and frameworks_agree:
        print(f"All {len(rows)} implementations produce identical signatures for all {len(DEMO_IDS)} demo ids, "
              "and the Django, Express, Fastify and Rails integrations render the same identify call.")
        return 0
    print("MISMATCH: the implementations above disagree.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
