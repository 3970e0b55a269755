"""sign_many: order, large batches across the parallel threshold, any iterable, errors with index."""
from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest
import refiner_identity as ri
from conftest import SECRET, reference

SIGNER = ri.Signer(SECRET)


def mixed_ids(count: int, seed: int) -> list[str | bytes | int]:
    rng = random.Random(seed)
    makers = [lambda i: f"user-{i}-é", lambda i: i * 7919 - 10**6, lambda i: rng.randbytes(rng.randrange(1, 90))]
    return [makers[i % 3](i) for i in range(count)]


def as_bytes(user_id: str | bytes | int) -> bytes:
    return user_id if isinstance(user_id, bytes) else str(user_id).encode()


@pytest.mark.parametrize("count", [0, 1, 17, 4095, 4096, 10_000])
def test_equals_single_signs(count: int) -> None:
    ids = mixed_ids(count, seed=count)
    assert SIGNER.sign_many(ids) == [SIGNER.sign(i) for i in ids]


def test_two_hundred_thousand_ids_match_the_stdlib() -> None:
    ids = [f"user-{i}" for i in range(200_000)]
    expected = [reference(SECRET.encode(), i.encode()) for i in ids]
    assert SIGNER.sign_many(ids) == expected


def test_accepts_any_iterable() -> None:
    ids = ["a", "b", 3]
    expected = [SIGNER.sign(i) for i in ids]
    assert SIGNER.sign_many(iter(ids)) == expected
    assert SIGNER.sign_many(tuple(ids)) == expected
    assert SIGNER.sign_many(i for i in ids) == expected


@pytest.mark.parametrize("count", [10, 50_000])
def test_bad_element_names_its_index(count: int) -> None:
    ids: list[object] = [f"u{i}" for i in range(count)]
    ids[count // 2] = ""
    with pytest.raises(ri.InvalidUserIdError, match=f"index {count // 2}"):
        SIGNER.sign_many(ids)
    ids[count // 2] = 1.5
    with pytest.raises(TypeError, match=rf"user_ids\[{count // 2}\].*float"):
        SIGNER.sign_many(ids)


def test_not_iterable_is_type_error() -> None:
    with pytest.raises(TypeError):
        SIGNER.sign_many(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("count", [10, 50_000])
def test_lowest_bad_index_wins_whatever_the_problem(count: int) -> None:
    # SPEC section 10: a wrong type after an empty id reports the empty id, and the reverse.
    ids: list[object] = [f"u{i}" for i in range(count)]
    ids[2], ids[5] = "", 1.5
    with pytest.raises(ri.InvalidUserIdError, match=r"index 2\b"):
        SIGNER.sign_many(ids)
    ids[2], ids[5] = 1.5, ""
    with pytest.raises(TypeError, match=r"user_ids\[2\].*float"):
        SIGNER.sign_many(ids)


def test_signs_a_list_mutated_by_its_elements_bytes() -> None:
    # Every element is read once, before hashing: a result always matches the stdlib.
    ids: list[object] = [bytearray(b"user-%d" % i) for i in range(20_000)]
    expected = [reference(SECRET.encode(), bytes(i)) for i in ids]  # type: ignore[arg-type]
    assert SIGNER.sign_many(ids) == expected


def test_a_generator_refilling_one_bytearray_signs_each_value() -> None:
    values = [b"alice", b"bob", b"carol"]

    def ids() -> Iterator[bytearray]:
        buffer = bytearray()
        for value in values:
            buffer[:] = value  # a reader reusing its buffer, readinto-style
            yield buffer

    assert SIGNER.sign_many(ids()) == [reference(SECRET.encode(), value) for value in values]


@pytest.mark.parametrize("one_id", ["user_42", b"ab", bytearray(b"ab"), memoryview(b"ab")],
                         ids=["str", "bytes", "bytearray", "memoryview"])
def test_one_id_instead_of_a_list_is_a_type_error(one_id: object) -> None:
    with pytest.raises(TypeError, match=r"^user_ids must be a list \(or another iterable\) of user ids, not \w+; "
                                        r"to sign one id, use sign\(user_id\)"):
        SIGNER.sign_many(one_id)


def test_the_result_list_is_never_seen_half_filled_by_another_thread() -> None:
    # Other threads run while signed chunks are handed back; gc.get_objects() must not
    # give them the list before every slot is set (reading an empty slot crashed).
    script = textwrap.dedent("""
        import gc, sys, threading
        import refiner_identity as ri
        signer = ri.Signer("k")
        ids = ["user-%d" % i for i in range(150_000)]
        stop = False
        def peek():
            while not stop:
                for o in gc.get_objects():
                    if type(o) is list and len(o) == len(ids) and o is not ids:
                        assert all(type(s) is str for s in o)
        gc.disable()
        thread = threading.Thread(target=peek)
        thread.start()
        sys.setswitchinterval(1e-5)
        for _ in range(10):
            signer.sign_many(ids)
        stop = True
        thread.join()
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr[-2000:]
