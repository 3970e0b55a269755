"""One Signer shared by 8 threads, 100,000 signatures each, all equal to the stdlib's."""
from __future__ import annotations

import threading

import refiner_identity as ri
from conftest import SECRET, reference

THREADS = 8
PER_THREAD = 100_000


def test_shared_signer_across_threads() -> None:
    signer = ri.Signer(SECRET)
    ids = [f"thread-user-{i}" for i in range(PER_THREAD)]
    expected = [reference(SECRET.encode(), i.encode()) for i in ids]
    results: dict[int, bool] = {}

    def work(worker: int) -> None:
        # Alternate single signs and batches so both paths run concurrently.
        if worker % 2:
            results[worker] = [signer.sign(i) for i in ids] == expected
        else:
            results[worker] = signer.sign_many(ids) == expected and all(
                signer.verify(i, s) for i, s in zip(ids[:1000], expected)
            )

    threads = [threading.Thread(target=work, args=(w,)) for w in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {w: True for w in range(THREADS)}
