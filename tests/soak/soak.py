#!/usr/bin/env python3
"""Soak test of the Python binding: N signatures mixing `sign`, `Signer.sign`,
`sign_many` of 10,000 ids, `verify` and calls that raise (bad ids, bad secrets,
a bad element in a batch). Fails if RSS grows more than 10 MB after the warm-up
(the first 10% of N), or if a sampled signature differs from the stdlib's hmac.

Usage: .venv/bin/python tests/soak/soak.py N
"""
from __future__ import annotations

import gc
import hashlib
import hmac
import sys
from collections.abc import Callable, Sequence
from typing import Any

import refiner_identity as ri

BATCH = 10_000
SINGLES = 1_000
VERIFIES = 500
SAMPLE_EVERY = 100_000
GROWTH_LIMIT_KB = 10_240
SECRET = "soak-secret-key-1f0c"
KEY = SECRET.encode()


class Hostile(int):
    """Sign must use the value it holds, whatever its methods say."""

    def __str__(self) -> str:
        return "0"

    def __rshift__(self, other: object) -> int:
        return 0


def rss_kb() -> int:
    gc.collect()
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS line in /proc/self/status")


def message(user_id: object) -> bytes:
    if isinstance(user_id, str):
        return user_id.encode()
    if isinstance(user_id, (bytes, bytearray)):
        return bytes(user_id)
    if isinstance(user_id, int):
        previous = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            return int.__repr__(user_id).encode()
        finally:
            sys.set_int_max_str_digits(previous)
    raise TypeError(type(user_id).__name__)


def fail(why: str) -> None:
    print(f"soak python: FAILED: {why}", file=sys.stderr)
    sys.exit(1)


def user_ids(count: int, round_number: int) -> list[Any]:
    """Fresh ids of every accepted kind, including big and hostile integers."""
    makers: list[Callable[[int], Any]] = [
        lambda i: f"user-{round_number}-{i}",
        lambda i: f"usér-{i}-✓".encode(),
        lambda i: bytearray(f"ba-{round_number}-{i}".encode()),
        lambda i: i * 7919 - 5_000_000,
        lambda i: 2**64 * (i + 1) + round_number,
        lambda i: Hostile(2**130 + i),
    ]
    ids = [makers[i % len(makers)](i) for i in range(count)]
    if count:
        ids[count // 2] = 10**5000 + round_number  # beyond Python's str() digit limit
    return ids


class Soak:
    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.samples = 0

    def done(self) -> bool:
        return self.count >= self.total

    def record(self, ids: Sequence[Any], signatures: Sequence[str]) -> None:
        """Counts the signatures and checks each one that lands on a multiple of SAMPLE_EVERY."""
        if len(signatures) != len(ids):
            fail(f"{len(signatures)} signatures for {len(ids)} ids")
        start = self.count
        self.count += len(signatures)
        target = (start // SAMPLE_EVERY + 1) * SAMPLE_EVERY
        while target <= self.count:
            index = target - start - 1
            expected = hmac.new(KEY, message(ids[index]), hashlib.sha256).hexdigest()
            if signatures[index] != expected:
                fail(f"signature {target} ({type(ids[index]).__name__} id) differs from hmac")
            self.samples += 1
            target += SAMPLE_EVERY


def expect_error(kind: type[BaseException], call: Callable[[], object]) -> None:
    try:
        call()
    except kind as error:
        if SECRET in str(error):
            fail(f"{kind.__name__} message contains the secret")
    else:
        fail(f"expected {kind.__name__}")


def raising_calls(signer: ri.Signer, batch_with_bad_element: list[Any]) -> None:
    for bad_id in (None, "", b"", 1.5, True, "\ud800", memoryview(b"x")):
        kind = ri.InvalidUserIdError if bad_id in ("", b"", "\ud800") else TypeError
        expect_error(kind, lambda: ri.sign(SECRET, bad_id))
        expect_error(kind, lambda: signer.sign(bad_id))
    for bad_secret in ("", f" {SECRET}", f"{SECRET}\n", bytearray(f"{SECRET}\r\n".encode())):
        expect_error(ri.InvalidSecretError, lambda: ri.sign(bad_secret, "42"))
        expect_error(ri.InvalidSecretError, lambda: ri.Signer(SECRET, previous=["old", bad_secret]))
    expect_error(TypeError, lambda: ri.Signer(None))  # type: ignore[arg-type]
    expect_error(TypeError, lambda: signer.sign_many(batch_with_bad_element))


def one_round(soak: Soak, round_number: int, batch: list[Any], batch_with_bad_element: list[Any]) -> None:
    signer = ri.Signer(KEY, previous=[bytearray(b"previous-key")])
    remaining = soak.total - soak.count
    ids = batch[: min(BATCH, remaining)]
    soak.record(ids, signer.sign_many(ids))
    if soak.done():
        return
    singles = user_ids(min(SINGLES, soak.total - soak.count), round_number)
    secrets: list[str | bytes | bytearray] = [SECRET, KEY, bytearray(KEY)]
    soak.record(singles, [ri.sign(secrets[i % 3], user_id) for i, user_id in enumerate(singles)])
    if soak.done():
        return
    singles = singles[: min(SINGLES, soak.total - soak.count)]
    signatures = [signer.sign(user_id) for user_id in singles]
    soak.record(singles, signatures)
    checked = min(VERIFIES, len(singles), (soak.total - soak.count) // 2)
    if not all(signer.verify(singles[i], signatures[i].upper()) for i in range(checked)):
        fail("verify refused a valid signature")
    wrong = "0" * 64
    if any(ri.verify(SECRET, singles[i], wrong) for i in range(checked)):
        fail("verify accepted a wrong signature")
    soak.count += 2 * checked
    raising_calls(signer, batch_with_bad_element)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].isdigit() or int(argv[1]) < 1:
        print("usage: soak.py N   (N = total signatures, at least 1)", file=sys.stderr)
        return 2
    total = int(argv[1])
    rss_start = rss_kb()
    batches = [user_ids(BATCH, 0), user_ids(BATCH, 1)]
    batch_with_bad_element = user_ids(BATCH, 2)
    batch_with_bad_element[BATCH - 3] = 4.2
    soak = Soak(total)
    checkpoints = {"warm": total // 10, "mid": total // 2}
    readings: dict[str, int] = {}
    round_number = 0
    while not soak.done():
        one_round(soak, round_number, batches[round_number % 2], batch_with_bad_element)
        round_number += 1
        for name, at in checkpoints.items():
            if name not in readings and soak.count >= at:
                readings[name] = rss_kb()
    rss_end = rss_kb()
    growth = rss_end - readings["warm"]
    print(
        f"soak python: N={total} rss_start_kb={rss_start} rss_warm_kb={readings['warm']} "
        f"rss_mid_kb={readings['mid']} rss_end_kb={rss_end} growth_kb={growth}"
    )
    if total >= SAMPLE_EVERY and soak.samples == 0:
        fail("no signature was sampled")
    if growth > GROWTH_LIMIT_KB:
        fail(f"RSS grew by {growth} kB after warm-up (limit {GROWTH_LIMIT_KB} kB): a leak")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
