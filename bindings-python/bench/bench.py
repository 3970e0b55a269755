#!/usr/bin/env python3
"""Python benchmark: refiner_identity against the standard library's hmac, in
one run on one machine. Outputs are asserted equal before anything is timed.
Prints a markdown table and, last, one JSON line (`RESULT {...}`) for the
combined `make bench` table."""
from __future__ import annotations

import gc
import hashlib
import hmac
import json
import platform
import statistics
import subprocess
import sys
import time
import timeit

import refiner_identity as ri
from channels import missed as channels_missed
from channels import rows as channels_rows

KEY = b"bench-secret-key-0123456789"
USER_ID = "user-1234567"  # 12 bytes, a typical short id
BATCH = 1_000_000
# sign_many: issue 14 raised it from 8x to 15x with the core's batch engine.
TARGETS = {"Signer.sign": 5.0, "sign": 3.0, "sign_many": 15.0}


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def median_ns(statement, number: int, repeat: int = 7) -> float:
    """Median over `repeat` rounds of the mean ns per call within a round."""
    rounds = timeit.repeat(statement, number=number, repeat=repeat)
    return statistics.median(rounds) / number * 1e9


def main() -> None:
    signer = ri.Signer(KEY)
    uid_bytes = USER_ID.encode()
    stdlib_sig = hmac.new(KEY, uid_bytes, hashlib.sha256).hexdigest()
    assert signer.sign(USER_ID) == ri.sign(KEY, USER_ID) == stdlib_sig, "outputs differ: nothing timed"

    ids = [f"user-{i:07d}" for i in range(BATCH)]
    id_bytes = [i.encode() for i in ids]
    ours = signer.sign_many(ids)
    theirs = [hmac.new(KEY, b, hashlib.sha256).hexdigest() for b in id_bytes]
    assert ours == theirs, "sign_many differs from the stdlib: nothing timed"
    del ours, theirs

    n = 200_000
    stdlib_ns = median_ns(lambda: hmac.new(KEY, uid_bytes, hashlib.sha256).hexdigest(), n)
    signer_ns = median_ns(lambda: signer.sign(USER_ID), n)
    sign_ns = median_ns(lambda: ri.sign(KEY, USER_ID), n)

    def batch_seconds(fn) -> float:
        """Median of 5 runs, each after a full collection; each run's list is
        freed after its clock stops (both sides build a million str objects)."""
        times = []
        for _ in range(5):
            gc.collect()
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
            del result
        return statistics.median(times)

    stdlib_batch = batch_seconds(lambda: [hmac.new(KEY, b, hashlib.sha256).hexdigest() for b in id_bytes])
    ours_batch = batch_seconds(lambda: signer.sign_many(ids))
    renderers = channels_rows(KEY, median_ns)

    ratios = {
        "Signer.sign": stdlib_ns / signer_ns,
        "sign": stdlib_ns / sign_ns,
        "sign_many": stdlib_batch / ours_batch,
    }
    print(f"Python {platform.python_version()} on {cpu_model()}, {platform.system()} {platform.release()}, "
          f"commit {commit()}")
    print()
    print("| call | median ns per signature | vs `hmac.new(...).hexdigest()` | target |")
    print("|---|---:|---:|---:|")
    print(f"| `hmac.new(key, uid, sha256).hexdigest()` | {stdlib_ns:.0f} | 1.0x | |")
    print(f"| `Signer.sign(uid)` | {signer_ns:.0f} | {ratios['Signer.sign']:.1f}x faster | >= 5x |")
    print(f"| `sign(key, uid)` | {sign_ns:.0f} | {ratios['sign']:.1f}x faster | >= 3x |")
    print(f"| `Signer.sign_many` 1,000,000 ids | {ours_batch * 1e9 / BATCH:.0f} ({ours_batch * 1e3:.0f} ms in all) "
          f"| {ratios['sign_many']:.1f}x faster than the list comprehension ({stdlib_batch * 1e3:.0f} ms) | >= {TARGETS['sign_many']:g}x |")
    print()
    print("| renderer | median ns per call | vs `Signer.sign` (target <= 4x) | vs json + hmac + quote (target >= 5x) |")
    print("|---|---:|---:|---:|")
    for row in renderers:
        print(f"| `{row['call']}` | {row['ns']:.0f} | {row['vs_sign']:.1f}x ({row['sign_ns']:.0f} ns) "
              f"| {row['ratio']:.1f}x faster ({row['stdlib_ns']:.0f} ns) |")
    print()
    missed = [name for name, ratio in ratios.items() if ratio < TARGETS[name]] + channels_missed(renderers)
    print("targets: " + ("all met" if not missed else "MISSED " + ", ".join(missed)))
    print("RESULT " + json.dumps({
        "language": "Python", "runtime": f"Python {platform.python_version()}",
        "stdlib": "hmac.new().hexdigest()", "stdlib_ns": stdlib_ns,
        "rows": [{"call": "Signer.sign", "ns": signer_ns, "ratio": ratios["Signer.sign"], "target": 5.0},
                 {"call": "sign", "ns": sign_ns, "ratio": ratios["sign"], "target": 3.0}, *renderers],
        "batch": {"call": "Signer.sign_many", "seconds": ours_batch, "stdlib_seconds": stdlib_batch,
                  "ratio": ratios["sign_many"], "target": TARGETS["sign_many"]},
    }))
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
