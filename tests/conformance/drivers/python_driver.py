"""Conformance driver for the Python binding (see README.md here)."""
from __future__ import annotations

import datetime
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


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def channel_value(tagged: dict):
    if "text" in tagged:
        return tagged["text"]
    if "int" in tagged:
        return int(tagged["int"])
    if "date" in tagged:
        return datetime.date.fromisoformat(tagged["date"])
    if "ts_ms" in tagged:
        return EPOCH + datetime.timedelta(milliseconds=tagged["ts_ms"])
    return None


def channel_identity(case: dict) -> dict:
    identity = {"id": channel_value(case["id"]), "email": case.get("email"), "name": case.get("name"),
                "traits": {n: channel_value(v) for n, v in case["traits"]}}
    return identity


def channel_cases(cases: list[dict]) -> list[list]:
    results = []
    for case in cases:
        signer = ri.Signer(case["key"])
        who = channel_identity(case)
        user_id = who.pop("id")
        link_options = {"locale": case.get("locale"), "tags": case.get("tags"),
                        "response": {n: channel_value(v) for n, v in case["response"]}}
        results.append([
            signer.identify_call(user_id, **who),
            signer.script_tag(user_id, **who, nonce=case.get("nonce")),
            signer.identify_payload(user_id, **who),
            signer.gtm_traits(user_id, **who),
            signer.gtm_script_tag(user_id, **who, nonce=case.get("nonce")),
            signer.survey_link(case["url"], user_id, **who, **link_options),
        ])
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, case in enumerate(cases):
        groups[(case["key"], case["url"])].append(index)
    for (key, url), indexes in groups.items():
        items = []
        for i in indexes:
            item = channel_identity(cases[i])
            item.update(locale=cases[i].get("locale"), tags=cases[i].get("tags"),
                        response={n: channel_value(v) for n, v in cases[i]["response"]})
            items.append(item)
        for i, link in zip(indexes, ri.Signer(key).survey_links(url, items)):
            results[i].append(link)
    return results


OPS = {"channels": channel_cases, "sign": sign_cases, "verify": verify_cases, "reject": lambda cases: [error_kind(c) for c in cases]}

for line in sys.stdin:
    request = json.loads(line)
    sys.stdout.write(json.dumps({"results": OPS[request["op"]](request["cases"])}) + "\n")
    sys.stdout.flush()
