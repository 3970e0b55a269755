"""Differential property tests against the standard library's hmac (10,500 examples in all)."""
from __future__ import annotations

import hashlib
import hmac

import refiner_identity as ri
from hypothesis import given, settings
from hypothesis import strategies as st

PADDING = (" ", "\t", "\r", "\n")
KEY = b"hypothesis-key"
SIGNER = ri.Signer(KEY)

texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=200)
keys = st.binary(min_size=1, max_size=200).filter(lambda k: chr(k[0]) not in PADDING and chr(k[-1]) not in PADDING)


def stdlib(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@settings(max_examples=4000, deadline=None)
@given(key=keys, user_id=texts)
def test_text_matches_stdlib(key: bytes, user_id: str) -> None:
    expected = stdlib(key, user_id.encode("utf-8"))
    assert ri.sign(key, user_id) == expected
    assert ri.Signer(key).sign(user_id) == expected


@settings(max_examples=3000, deadline=None)
@given(key=keys, user_id=st.binary(min_size=1, max_size=300))
def test_bytes_match_stdlib(key: bytes, user_id: bytes) -> None:
    expected = stdlib(key, user_id)
    assert ri.sign(key, user_id) == expected
    assert SIGNER.verify(user_id, stdlib(KEY, user_id))


@settings(max_examples=3000, deadline=None)
@given(user_id=st.integers(min_value=-(2**300), max_value=2**300))
def test_integers_are_str_of_int(user_id: int) -> None:
    assert SIGNER.sign(user_id) == stdlib(KEY, str(user_id).encode())


@settings(max_examples=500, deadline=None)
@given(batch=st.lists(st.one_of(texts, st.binary(min_size=1), st.integers()), max_size=50))
def test_sign_many_matches_stdlib(batch: list[str | bytes | int]) -> None:
    as_bytes = [b if isinstance(b, bytes) else str(b).encode() for b in batch]
    assert SIGNER.sign_many(batch) == [stdlib(KEY, b) for b in as_bytes]
