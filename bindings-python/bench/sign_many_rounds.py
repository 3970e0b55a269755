"""Python sign_many against a list comprehension of hmac.new(...).hexdigest() on
1,000,000 ids, in interleaved rounds (each batch after gc.collect()); prints
the median of the per-round ratios. Usage: sign_many_rounds.py [rounds]."""
import gc
import hashlib
import hmac
import statistics
import sys
import time

import refiner_identity as ri

KEY = b"bench-secret-key"
N = 1_000_000
ids = [f"user-{i}" for i in range(N)]
signer = ri.Signer(KEY)


def stdlib() -> list[str]:
    return [hmac.new(KEY, i.encode(), hashlib.sha256).hexdigest() for i in ids]


def timed(fn) -> float:
    gc.collect()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def main() -> None:
    assert signer.sign_many(ids) == stdlib(), "sign_many differs from the stdlib: nothing timed"
    ratios, ours = [], []
    for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 5):
        theirs = timed(stdlib)
        mine = timed(lambda: signer.sign_many(ids))
        ratios.append(theirs / mine)
        ours.append(mine)
    print(f"python sign_many 1M: median ratio {statistics.median(ratios):.1f}x, "
          f"ours median {statistics.median(ours) * 1e3:.0f} ms, ratios {[round(r, 1) for r in ratios]}")


if __name__ == "__main__":
    main()
