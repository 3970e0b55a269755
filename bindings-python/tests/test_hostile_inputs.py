"""Hostile inputs other than integers (those are in test_hostile_ints.py): subclasses
overriding conversion methods, impostors, odd text, very large ids and batches,
misbehaving iterables, and a bytearray mutated by another thread during sign_many.
Each case is the stdlib's HMAC of what the object holds, or a clear error."""
from __future__ import annotations

import array
import threading
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
import refiner_identity as ri
from conftest import SECRET, reference

KEY = SECRET.encode()
SIGNER = ri.Signer(SECRET)
USER_ID_TYPES = "user id must be str, bytes, bytearray or int"


def wrong(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("the binding called a method of the object")


def all_paths(user_id: object) -> list[str]:
    """The signature of `user_id` through every entry point (they must agree)."""
    signatures = [ri.sign(SECRET, user_id), SIGNER.sign(user_id), SIGNER.sign_many([user_id])[0]]
    assert ri.verify(SECRET, user_id, signatures[0]) and SIGNER.verify(user_id, signatures[0])
    return signatures


STR_METHODS = ["__str__", "__repr__", "__format__", "encode", "__eq__", "__ne__", "__hash__", "__len__",
               "__getitem__", "__iter__", "__contains__", "__add__", "__mod__", "__bytes__", "__index__",
               "lower", "strip", "casefold", "__getnewargs__", "__sizeof__"]
BYTES_METHODS = ["__bytes__", "__str__", "__repr__", "decode", "__eq__", "__hash__", "__len__", "__getitem__",
                 "__iter__", "__buffer__", "__index__", "hex", "__getnewargs__", "__sizeof__", "tobytes"]


@pytest.mark.parametrize("method", STR_METHODS)
def test_str_subclass_signs_its_contents(method: str) -> None:
    cls = type("HostileStr", (str,), {method: wrong})
    assert all_paths(cls("user-42 é \x00")) == [reference(KEY, "user-42 é \x00".encode())] * 3


@pytest.mark.parametrize("base", [bytes, bytearray])
@pytest.mark.parametrize("method", BYTES_METHODS)
def test_bytes_and_bytearray_subclasses_sign_their_contents(base: type, method: str) -> None:
    cls = type("HostileBytes", (base,), {method: wrong})
    assert all_paths(cls(b"\x00\xffraw")) == [reference(KEY, b"\x00\xffraw")] * 3


class Impostor:
    """Claims to be a str (isinstance is True through __class__) and can say what it wants."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return str

    def __str__(self) -> str:
        return "user-42"

    __bytes__ = __index__ = __fspath__ = wrong


class StrOnly:
    def __str__(self) -> str:
        return "user-42"


class BytesOnly:
    def __bytes__(self) -> bytes:
        return b"user-42"


class Buffer:
    """Exposes bytes through the buffer protocol only (from Python 3.12)."""

    def __init__(self) -> None:
        self.data = bytearray(b"user-42")

    def __buffer__(self, flags: int) -> memoryview:
        return memoryview(self.data)


BAD_IDS = {
    "None": None,
    "float": 4.2,
    "memoryview": memoryview(b"user-42"),
    "array": array.array("B", b"user-42"),
    "str-impostor": Impostor(),
    "__str__ only": StrOnly(),
    "__bytes__ only": BytesOnly(),
    "buffer protocol": Buffer(),
    "list": ["user-42"],
    "tuple": ("user-42",),
    "dict": {"id": "user-42"},
    "type str": str,
    "ellipsis": ...,
}


@pytest.mark.parametrize("name", BAD_IDS)
def test_other_types_are_type_errors(name: str) -> None:
    bad = BAD_IDS[name]
    for attempt in (lambda: ri.sign(SECRET, bad), lambda: SIGNER.sign(bad), lambda: ri.verify(SECRET, bad, "0" * 64)):
        with pytest.raises(TypeError, match=USER_ID_TYPES):
            attempt()
    with pytest.raises(TypeError, match=r"user_ids\[1\]: " + USER_ID_TYPES):
        SIGNER.sign_many(["ok", bad])


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "\ud83d\ude00", "x" * 1000 + "\udc80"])
def test_lone_surrogates_are_invalid_user_ids(text: str) -> None:
    for attempt in (lambda: ri.sign(SECRET, text), lambda: SIGNER.sign(text), lambda: SIGNER.sign_many(["ok", text])):
        with pytest.raises(ri.InvalidUserIdError, match="lone surrogate"):
            attempt()


@pytest.mark.parametrize("text", ["\x00", "a\x00b", "\U0001f600", "e\u0301", "\u00e9", "\ufeff", "\u2028", "\uffff"])
def test_odd_text_signs_its_utf8(text: str) -> None:
    assert all_paths(text) == [reference(KEY, text.encode("utf-8"))] * 3


def test_nfc_and_nfd_differ() -> None:
    assert SIGNER.sign("\u00e9") != SIGNER.sign("e\u0301")


def test_hundred_megabyte_ids() -> None:
    text = "u" * (100 * 1024 * 1024)
    assert SIGNER.sign(text) == reference(KEY, text.encode())
    del text
    raw = bytes(range(256)) * (400 * 1024)
    assert ri.sign(SECRET, raw) == reference(KEY, raw)
    assert SIGNER.sign_many([raw, b"x"]) == [reference(KEY, raw), reference(KEY, b"x")]


def test_huge_batch_with_errors_beyond_the_first_chunk() -> None:
    ids: list[object] = [f"user-{i}" for i in range(300_000)]
    assert SIGNER.sign_many(ids) == [reference(KEY, str(i).encode()) for i in ids]
    ids[200_001] = 1.5
    with pytest.raises(TypeError, match=r"user_ids\[200001\]: .*float"):
        SIGNER.sign_many(ids)
    ids[200_001] = ""
    with pytest.raises(ri.InvalidUserIdError, match="index 200001"):
        SIGNER.sign_many(ids)


class Boom(Exception):
    pass


def failing_generator(fail_at: int) -> Iterator[str]:
    for index in range(fail_at + 10):
        if index == fail_at:
            raise Boom(f"generator failed at {index}")
        yield f"user-{index}"


@pytest.mark.parametrize("fail_at", [0, 1, 70_000])
def test_generator_raising_midway_propagates(fail_at: int) -> None:
    with pytest.raises(Boom, match=f"failed at {fail_at}"):
        SIGNER.sign_many(failing_generator(fail_at))
    assert SIGNER.sign_many(["still works"]) == [reference(KEY, b"still works")]


class IterReturnsList:
    def __iter__(self) -> Any:
        return ["a", "b"]


class IterReturnsSelfWithoutNext:
    def __iter__(self) -> Any:
        return self


class NextRaisesTypeError:
    def __iter__(self) -> Any:
        return self

    def __next__(self) -> str:
        raise TypeError("from __next__")


@pytest.mark.parametrize("bad", [IterReturnsList(), IterReturnsSelfWithoutNext(), 42, None, NextRaisesTypeError()])
def test_broken_iterables_are_type_errors(bad: object) -> None:
    with pytest.raises(TypeError):
        SIGNER.sign_many(bad)  # type: ignore[arg-type]


def test_list_subclass_is_iterated_not_indexed() -> None:
    class Sneaky(list):  # type: ignore[type-arg]
        __getitem__ = __len__ = wrong

    assert SIGNER.sign_many(Sneaky(["a", b"b", 3])) == [reference(KEY, v) for v in (b"a", b"b", b"3")]


def test_same_object_many_times_and_mixed_types() -> None:
    shared = bytearray(b"shared")
    ids = [shared, "t", b"b", 7, 2**300, shared] * 5000
    expected = [reference(KEY, bytes(v) if isinstance(v, bytearray | bytes) else str(v).encode()) for v in ids]
    assert SIGNER.sign_many(ids) == expected


def test_bytearray_mutated_by_another_thread_during_sign_many() -> None:
    # Each element is copied under the GIL before hashing without it, so every
    # signature is of one whole value the bytearray held, never a mix.
    values = [b"before-value-0000", b"after-value-11111", b"x", b"a-much-longer-value-" * 20]
    allowed = {reference(KEY, value) for value in values}
    shared = bytearray(values[0])
    ids = [shared] * 400_000
    stop = threading.Event()

    def mutate() -> None:
        turn = 0
        while not stop.is_set():
            turn += 1
            shared[:] = values[turn % len(values)]

    mutator = threading.Thread(target=mutate)
    mutator.start()
    try:
        for _ in range(3):
            signatures = SIGNER.sign_many(ids)
            assert len(signatures) == len(ids)
            assert set(signatures) <= allowed
    finally:
        stop.set()
        mutator.join()


def test_signer_from_bytearray_ignores_later_mutation() -> None:
    secret = bytearray(KEY)
    signer = ri.Signer(secret)
    secret[:] = b"another-key"
    assert signer.sign("42") == reference(KEY, b"42")


class HostileSecret(str):
    encode = __str__ = __bytes__ = __eq__ = __hash__ = __len__ = __getitem__ = wrong


def test_str_subclass_secret_uses_its_contents() -> None:
    assert ri.Signer(HostileSecret(SECRET)).sign("42") == reference(KEY, b"42")
    assert ri.sign(HostileSecret(SECRET), "42") == reference(KEY, b"42")
    assert ri.verify(HostileSecret(SECRET), "42", reference(KEY, b"42"))


@pytest.mark.parametrize(
    "secret",
    [bytearray(f"{SECRET}\n".encode()), type("B", (bytes,), {})(f" {SECRET}".encode())],
    ids=["bytearray", "bytes-subclass"],
)
def test_padded_bytes_like_secrets_are_refused_without_echo(secret: bytes) -> None:
    for attempt in (lambda: ri.sign(secret, "42"), lambda: ri.Signer(secret), lambda: ri.Signer("ok", previous=[secret])):
        with pytest.raises(ri.InvalidSecretError) as raised:
            attempt()
        assert SECRET[:12] not in "".join(traceback.format_exception(raised.value))


@pytest.mark.parametrize(
    "secret", [memoryview(KEY), array.array("B", KEY), 12345, Impostor(), None],
    ids=["memoryview", "array", "int", "impostor", "None"],
)
def test_other_secret_types_are_type_errors_without_echo(secret: object) -> None:
    with pytest.raises(TypeError, match="secret must be str or bytes") as raised:
        ri.Signer(secret)  # type: ignore[arg-type]
    assert SECRET[:12] not in str(raised.value)


class HostileSignature(str):
    lower = encode = __eq__ = __len__ = __getitem__ = __iter__ = wrong


def test_signature_subclasses_compare_their_contents() -> None:
    good = reference(KEY, b"42")
    assert ri.verify(SECRET, "42", HostileSignature(good))
    assert SIGNER.verify("42", HostileSignature(good.upper()))
    assert not SIGNER.verify("42", HostileSignature(good[:-1] + "0" if good[-1] != "0" else good[:-1] + "1"))
    assert SIGNER.verify("42", bytearray(good.encode()))
