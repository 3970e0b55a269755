"""Conformance driver for the Python binding (see README.md here)."""
from __future__ import annotations

import json
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bindings-python", "tests"))

import refiner_identity as ri  # noqa: E402
from tagged import python_value  # noqa: E402


def sign_cases(cases: list[dict]) -> list[list[str]]:
    keys = [python_value(c["key"]) for c in cases]
    ids = [python_value(c["id"]) for c in cases]
    results = [[ri.sign(k, i), ri.Signer(k).sign(i)] for k, i in zip(keys, ids)]
    by_key: dict[bytes | str, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        by_key[key].append(index)
    for key, indexes in by_key.items():
        for index, signature in zip(indexes, ri.Signer(key).sign_many(ids[i] for i in indexes)):
            results[index].append(signature)
    return results


def verify_cases(cases: list[dict]) -> list[list[bool]]:
    out = []
    for case in cases:
        key, user_id = python_value(case["key"]), python_value(case["id"])
        out.append([ri.verify(key, user_id, s) for s in case["signatures"]])
    return out


def error_kind(case: dict) -> str:
    try:
        ri.sign(python_value(case["secret"]), python_value(case["user_id"]))
    except ri.InvalidSecretError:
        return "InvalidSecret"
    except ri.InvalidUserIdError:
        return "InvalidUserId"
    except TypeError:
        return "TypeError"
    return "signed"


OPS = {"sign": sign_cases, "verify": verify_cases, "reject": lambda cases: [error_kind(c) for c in cases]}

for line in sys.stdin:
    request = json.loads(line)
    sys.stdout.write(json.dumps({"results": OPS[request["op"]](request["cases"])}) + "\n")
    sys.stdout.flush()
