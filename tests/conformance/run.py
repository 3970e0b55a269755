#!/usr/bin/env python3
"""Cross-language conformance: every binding (module-level sign, Signer.sign,
sign_many), the CLI and the four reference snippets must give the same 64 hex
characters for every case; the bindings must reject the same inputs with the
error kinds of SPEC.md, and verify each other's signatures.

    run.py [--n N] [--seed SEED]      (make conformance N=... SEED=...)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import defaultdict
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "references"))
sys.path.insert(0, HERE)

import cases as case_gen  # noqa: E402
import driver as references  # noqa: E402

BATCH = 10_000
CLI = os.path.join(ROOT, "target", "release", "refiner-identity")
BINDINGS = {
    "python": [sys.executable, os.path.join(HERE, "drivers", "python_driver.py")],
    "node": ["node", os.path.join(HERE, "drivers", "node_driver.mjs")],
    "ruby": ["ruby", "-I", os.path.join(ROOT, "bindings-ruby", "lib"), os.path.join(HERE, "drivers", "ruby_driver.rb")],
}
CALLS = ("sign", "Signer.sign", "sign_many")


def tagged_bytes(value: dict) -> bytes:
    return value["text"].encode("utf-8") if "text" in value else bytes.fromhex(value["hex"])


class Binding:
    """A long-lived binding driver fed one JSON line per batch."""

    def __init__(self, name: str, command: list[str]):
        self.name = name
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        encoding="utf-8")

    def request(self, op: str, cases: list[dict]) -> list[Any]:
        stdout = self.process.stdout
        assert stdout is not None
        line = references.exchange(self.process, json.dumps({"op": op, "cases": cases}) + "\n", stdout.readline)
        if not line:
            raise RuntimeError(f"{self.name} driver died")
        return json.loads(line)["results"]

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


class CliPool:
    """One long-lived `refiner-identity sign --stdin --hex` process per key."""

    def __init__(self) -> None:
        self.processes: dict[bytes, subprocess.Popen] = {}

    def sign(self, key: bytes, ids: list[bytes]) -> list[str]:
        if key not in self.processes:
            env = dict(os.environ)
            env.pop("REFINER_SECRET_KEY", None)
            path = os.path.join(self.keydir, f"{len(self.processes)}.key")
            with open(path, "wb") as f:
                f.write(key)
            self.processes[key] = subprocess.Popen([CLI, "sign", "--stdin", "--hex", "--secret-file", path],
                                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        process = self.processes[key]
        stdout = process.stdout
        assert stdout is not None
        payload = "".join(i.hex() + "\n" for i in ids)
        return references.exchange(process, payload, lambda: [stdout.readline().strip() for _ in ids])

    def close(self) -> None:
        for process in self.processes.values():
            assert process.stdin
            process.stdin.close()
            process.wait(timeout=30)


def vector_cases() -> list[dict]:
    with open(os.path.join(ROOT, "tests", "vectors", "vectors.json"), encoding="utf-8") as f:
        vectors = json.load(f)
    return [{"key": c["secret"], "id": c["user_id"]} for c in vectors["cases"]], vectors["rejected"]


def reference_input(case: dict) -> tuple[bytes, references.UserIdInput]:
    value = case["id"]
    return tagged_bytes(case["key"]), int(value["int"]) if "int" in value else tagged_bytes(value)


def describe(case: dict) -> str:
    key = tagged_bytes(case["key"])
    value = case["id"]
    shown = f"int {value['int']}" if "int" in value else f"hex {tagged_bytes(value).hex()}"
    return f"key hex {key.hex()} | id {shown}"


def check_signatures(all_cases: list[dict], bindings: dict[str, Binding], refs, cli: CliPool) -> int:
    mismatches = 0
    for start in range(0, len(all_cases), BATCH):
        batch = all_cases[start:start + BATCH]
        outputs: dict[str, list[str]] = {}
        results: dict[str, list] = {}
        threads = [threading.Thread(target=lambda n=n, b=b: results.__setitem__(n, b.request("sign", batch)))
                   for n, b in bindings.items()]
        threads += [threading.Thread(target=lambda r=r: results.__setitem__(r.name, r.sign(
            [reference_input(c) for c in batch]))) for r in refs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for name in bindings:
            for call_index, call in enumerate(CALLS):
                outputs[f"{name} {call}"] = [r[call_index] for r in results[name]]
        for ref in refs:
            outputs[f"reference {ref.name}"] = results[ref.name]
        by_key: dict[bytes, list[int]] = defaultdict(list)
        for index, case in enumerate(batch):
            by_key[tagged_bytes(case["key"])].append(index)
        cli_out = [""] * len(batch)
        for key, indexes in by_key.items():
            ids = [reference_input(batch[i])[1] for i in indexes]
            signed = cli.sign(key, [str(i).encode() if isinstance(i, int) else i for i in ids])
            for i, s in zip(indexes, signed):
                cli_out[i] = s
        outputs["cli sign --stdin"] = cli_out
        for index, case in enumerate(batch):
            values = {name: out[index] for name, out in outputs.items()}
            if len(set(values.values())) != 1 or len(next(iter(values.values()))) != 64:
                mismatches += 1
                if mismatches <= 20:
                    print(f"MISMATCH {describe(case)}", file=sys.stderr)
                    for name, value in values.items():
                        print(f"    {name:32} {value}", file=sys.stderr)
    return mismatches


def check_errors(rejected: list[dict], bindings: dict[str, Binding]) -> int:
    failures = 0
    for name, binding in bindings.items():
        cases = [c for c in rejected if name in c["expect"]]
        for case, kind in zip(cases, binding.request("reject", cases)):
            if kind != case["expect"][name]:
                failures += 1
                print(f"ERROR PARITY {name}: {case['name']}: raised {kind}, SPEC says {case['expect'][name]}",
                      file=sys.stderr)
    return failures


def check_verify(sample: list[dict], signatures: list[str], bindings: dict[str, Binding]) -> int:
    cases = []
    for case, signature in zip(sample, signatures):
        position = random.Random(signature).randrange(64)
        digit = "0" if signature[position] != "0" else "1"
        mutated = signature[:position] + digit + signature[position + 1:]
        cases.append({**case, "signatures": [signature, signature.upper(), mutated]})
    failures = 0
    for name, binding in bindings.items():
        for case, answers in zip(cases, binding.request("verify", cases)):
            if answers != [True, True, False]:
                failures += 1
                print(f"VERIFY PARITY {name}: {describe(case)} answered {answers}", file=sys.stderr)
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="random cases (default 5000)")
    parser.add_argument("--seed", type=int, default=None, help="replay a run (printed at the start)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"conformance: seed {seed} (replay: make conformance N={args.n} SEED={seed})", flush=True)
    started = time.monotonic()

    fixed, rejected = vector_cases()
    all_cases = fixed + case_gen.random_cases(args.n, seed)
    bindings = {name: Binding(name, command) for name, command in BINDINGS.items()}
    refs = references.start_all()
    cli = CliPool()
    import tempfile

    with tempfile.TemporaryDirectory() as keydir:
        cli.keydir = keydir
        try:
            mismatches = check_signatures(all_cases, bindings, refs, cli)
            error_failures = check_errors(rejected, bindings)
            sample = all_cases[: min(len(all_cases), 2000)]
            agreed = bindings["python"].request("sign", sample)
            verify_failures = check_verify(sample, [r[0] for r in agreed], bindings)
        finally:
            cli.close()
            for binding in bindings.values():
                binding.close()
            for ref in refs:
                ref.close()

    implementations = len(bindings) * len(CALLS) + len(refs) + 1
    elapsed = time.monotonic() - started
    print(f"conformance: {len(all_cases)} cases ({len(fixed)} vectors + {args.n} random) x {implementations} "
          f"implementations: {len(all_cases) - mismatches} identical, {mismatches} mismatched")
    print(f"conformance: error parity {sum(len([c for c in rejected if n in c['expect']]) for n in bindings)} checks, "
          f"{error_failures} failed; verify parity {len(sample) * len(bindings)} checks, {verify_failures} failed")
    print(f"conformance: {elapsed:.1f} s wall time")
    failed = mismatches + error_failures + verify_failures
    print(f"{len(all_cases) - mismatches + 0} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
