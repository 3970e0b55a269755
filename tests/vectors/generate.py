#!/usr/bin/env python3
"""Writes vectors.json from the reference implementations (tests/references):
Node crypto, PHP hash_hmac, Ruby OpenSSL::HMAC and Python hmac must all agree
on every case, or nothing is written.

    generate.py            write vectors.json
    generate.py --check    fail on any disagreement, or if vectors.json drifted
"""
from __future__ import annotations

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "references"))

import cases as case_defs  # noqa: E402
import driver  # noqa: E402

VECTORS = os.path.join(HERE, "vectors.json")


def to_bytes(value: dict) -> bytes:
    if "text" in value:
        return value["text"].encode("utf-8")
    return bytes.fromhex(value["hex"])


def user_id_input(value: dict) -> driver.UserIdInput:
    return int(value["int"]) if "int" in value else to_bytes(value)


def build() -> dict:
    cases = case_defs.cases()
    names = [c["name"] for c in cases]
    if len(set(names)) != len(names):
        sys.exit("duplicate case names in cases.py")
    inputs = [(to_bytes(c["secret"]), user_id_input(c["user_id"])) for c in cases]
    references = driver.start_all()
    try:
        answers = driver.sign_everywhere(references, inputs)
    finally:
        for ref in references:
            ref.close()
    disagreements = 0
    for i, case in enumerate(cases):
        outputs = {name: sigs[i] for name, sigs in answers.items()}
        if len(set(outputs.values())) != 1:
            disagreements += 1
            print(f"DISAGREE {case['name']}: {outputs}", file=sys.stderr)
        case["signature"] = next(iter(outputs.values()))
    if disagreements:
        sys.exit(f"{disagreements} cases where the references disagree; vectors.json not written")
    return {
        "description": "Refiner Identity Verification: lowercase hex HMAC-SHA256(secret, user id)",
        "generated_by": "tests/vectors/generate.py; every signature agreed by "
        + ", ".join(driver.REFERENCES),
        "cases": cases,
        "rejected": case_defs.rejected(),
    }


def render(vectors: dict) -> str:
    return json.dumps(vectors, indent=1, ensure_ascii=True) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="verify instead of writing")
    args = parser.parse_args()
    text = render(build())
    count = text.count('"signature"')
    if args.check:
        with open(VECTORS, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit("vectors.json drifted from cases.py + references: run tests/vectors/generate.py")
        print(f"vectors: {count} cases, all 4 references agree, vectors.json up to date")
    else:
        with open(VECTORS, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"vectors: wrote {count} cases, all 4 references agree")


if __name__ == "__main__":
    main()
