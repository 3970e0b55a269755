#!/usr/bin/env python3
"""Channel conformance (SPEC.md section 9): the same identities through every
binding's renderers (identify call, script tag, payload, GTM traits, GTM script
tag, survey link, and survey_links in one batch) and the CLI's `links` must
equal, byte for byte, the stdlib-only reference renderers in Python, Node and
Ruby.

    channels.py [--n N] [--seed SEED]      (run by make conformance)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "references"))
sys.path.insert(0, HERE)

import channel_cases  # noqa: E402
import cli_links  # noqa: E402
from driver import exchange  # noqa: E402
from run import BINDINGS  # noqa: E402

REFERENCE_DIR = os.path.join(ROOT, "tests", "references", "channels")
REFERENCES = {
    "reference python": ["python3", os.path.join(REFERENCE_DIR, "python.py")],
    "reference node": ["node", os.path.join(REFERENCE_DIR, "node.mjs")],
    "reference ruby": ["ruby", os.path.join(REFERENCE_DIR, "ruby.rb")],
}
OUTPUTS = ("identify_call", "script_tag", "identify_payload", "gtm_traits", "gtm_script_tag", "survey_link")
BATCH = 2_000


def load_python_reference():
    """The Python reference renderer as a module (its render() and value())."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("reference_channels", os.path.join(REFERENCE_DIR, "python.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Process:
    def __init__(self, name: str, command: list[str]):
        self.name = name
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        encoding="utf-8")

    def request(self, payload: dict) -> list:
        stdout = self.process.stdout
        assert stdout is not None
        line = exchange(self.process, json.dumps(payload) + "\n", stdout.readline)
        if not line:
            raise RuntimeError(f"{self.name} died")
        return json.loads(line)["results"]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


def ordered(value):
    """Objects as lists of pairs, so key order is compared too."""
    if isinstance(value, dict):
        return [(k, ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"channels: seed {seed} (replay: make conformance N={args.n} SEED={seed})", flush=True)
    started = time.monotonic()
    identities = channel_cases.random_identities(args.n, seed)
    if not identities:
        print("channels: no identities to compare", file=sys.stderr)
        return 1
    reference = load_python_reference()
    cli_compared = 0
    processes = [Process(n, c) for n, c in REFERENCES.items()]
    processes += [Process(f"{n} binding", c) for n, c in BINDINGS.items()]
    mismatches = 0
    try:
        for start in range(0, len(identities), BATCH):
            batch = identities[start:start + BATCH]
            answers = {p.name: p.request({"op": "channels", "cases": batch}) for p in processes}
            narrowed = [cli_links.narrowed(case) for case in batch]
            for offset, link in cli_links.survey_links(narrowed, reference.value).items():
                cli_compared += 1
                want = reference.render(narrowed[offset])[5]
                if link != want:
                    mismatches += 1
                    if mismatches <= 10:
                        print(f"MISMATCH cli links on identity {start + offset}: "
                              f"{json.dumps(narrowed[offset], ensure_ascii=False)}\n      want {want!r}\n      got  {link!r}",
                              file=sys.stderr)
            # Bindings answer the six renderers plus the link from one survey_links batch call.
            for offset, case in enumerate(batch):
                expected = ordered(answers["reference python"][offset])
                for name, results in answers.items():
                    got = ordered(results[offset])
                    if name.endswith("binding"):
                        got, batch_link = got[:6], got[6]
                        if batch_link != expected[5]:
                            got = got + [("survey_links", batch_link)]
                    if got != expected:
                        mismatches += 1
                        if mismatches <= 10:
                            print(f"MISMATCH {name} on identity {start + offset}: {json.dumps(case, ensure_ascii=False)}",
                                  file=sys.stderr)
                            for label, want, have in zip(OUTPUTS + ("survey_links",), expected + [expected[5]], got):
                                if want != have:
                                    print(f"    {label}\n      want {want!r}\n      got  {have!r}", file=sys.stderr)
    finally:
        for process in processes:
            process.close()
    total = len(identities) * len(processes) + cli_compared
    print(f"channels: {len(identities)} identities x {len(processes)} renderers "
          f"(3 stdlib references, {len(BINDINGS)} bindings x 7 calls), plus {cli_compared} links from "
          f"`refiner-identity links --json-lines`: {mismatches} mismatched, {time.monotonic() - started:.1f} s")
    print(f"{total - mismatches} passed, {mismatches} failed")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
