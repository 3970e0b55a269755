"""Integers sign as the value they hold, whatever a subclass overrides, at any size,
and whatever `sys.set_int_max_str_digits` says. Expected values come from `hmac`
over `int.__repr__` of a plain int computed with the digit limit lifted."""
from __future__ import annotations

import enum
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import refiner_identity as ri
from conftest import SECRET, reference
from hypothesis import given, settings
from hypothesis import strategies as st

KEY = SECRET.encode()
SIGNER = ri.Signer(SECRET)

# Every way a subclass could steer a conversion that asks the object for its value.
NUMERIC_DUNDERS = [
    "__index__", "__int__", "__float__", "__complex__", "__trunc__", "__floor__", "__ceil__", "__round__",
    "__rshift__", "__lshift__", "__rrshift__", "__and__", "__rand__", "__or__", "__xor__", "__invert__",
    "__abs__", "__neg__", "__pos__", "__add__", "__radd__", "__sub__", "__mul__", "__floordiv__", "__mod__",
    "__divmod__", "__pow__", "__truediv__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
    "__hash__", "__bool__", "__sizeof__", "__reduce__", "__reduce_ex__", "__getnewargs__",
    "to_bytes", "bit_length", "bit_count", "conjugate", "as_integer_ratio",
]
TEXT_DUNDERS = ["__str__", "__repr__", "__format__"]
ATTRIBUTE_DUNDERS = ["numerator", "denominator", "real", "imag"]

VALUES = [0, 5, -5, 2**63 - 1, 2**63, -(2**63) - 1, 2**64 + 5, -(2**64), 2**127 - 1, 2**127, -(2**127),
          -(2**127) - 1, 2**200, -(2**200), 10**40, 10**100 + 7]


@contextmanager
def int_max_str_digits(limit: int) -> Iterator[None]:
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(limit)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(previous)


def expected(value: int) -> str:
    with int_max_str_digits(0):
        return reference(KEY, int.__repr__(value).encode())


def wrong(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("the binding called a method of the int subclass")


def hostile_int(names: list[str], behaviour: str) -> type[int]:
    """An int subclass whose `names` raise (any call is a failure) or lie (return 0 / "0")."""
    namespace: dict[str, Any] = {}
    for name in names:
        if behaviour == "raise":
            namespace[name] = property(wrong) if name in ATTRIBUTE_DUNDERS else wrong
        elif name in ATTRIBUTE_DUNDERS:
            namespace[name] = property(lambda self: 0)
        elif name in TEXT_DUNDERS:
            namespace[name] = lambda self, *args: "0"
        elif name == "to_bytes":
            namespace[name] = lambda self, *args, **kwargs: b"\x00"
        elif name == "__hash__":
            namespace[name] = lambda self: 0
        else:
            namespace[name] = lambda self, *args: 0
    return type("HostileInt", (int,), namespace)


@pytest.mark.parametrize("name", NUMERIC_DUNDERS + TEXT_DUNDERS + ATTRIBUTE_DUNDERS)
@pytest.mark.parametrize("behaviour", ["raise", "lie"])
def test_one_overridden_method_never_changes_the_signature(name: str, behaviour: str) -> None:
    cls = hostile_int([name], behaviour)
    for value in VALUES:
        held = cls(value)
        assert ri.sign(SECRET, held) == expected(value), (name, value)
        assert SIGNER.sign(held) == expected(value), (name, value)
        assert SIGNER.verify(held, expected(value))


@pytest.mark.parametrize("behaviour", ["raise", "lie"])
def test_everything_overridden_at_once(behaviour: str) -> None:
    cls = hostile_int(NUMERIC_DUNDERS + TEXT_DUNDERS + ATTRIBUTE_DUNDERS, behaviour)
    ids = [cls(value) for value in VALUES]
    assert SIGNER.sign_many(ids) == [expected(value) for value in VALUES]
    assert ri.verify(SECRET, cls(2**200), expected(2**200))


def test_the_reported_case() -> None:
    class Shifty(int):
        def __rshift__(self, other: object) -> int:
            return 0

    class Nines(int):
        def __rshift__(self, other: object) -> int:
            return 999

    assert ri.sign("k", Shifty(2**200)) == reference(b"k", str(2**200).encode())
    assert ri.sign("k", Nines(5)) == reference(b"k", b"5")


def test_int_enum_and_flag_members_sign_their_value() -> None:
    class Color(enum.IntEnum):
        RED = 2**70

    class Perm(enum.IntFlag):
        R = 4
        W = 2

    assert ri.sign(SECRET, Color.RED) == expected(2**70)
    assert ri.sign(SECRET, Perm.R | Perm.W) == expected(6)


HUGE = {"10**100000": 10**100000, "-10**100000": -(10**100000), "2**400000-1": 2**400000 - 1,
        "7*10**4300": 7 * 10**4300}


@pytest.mark.parametrize("name", HUGE)
def test_beyond_the_str_digit_limit(name: str) -> None:
    value = HUGE[name]
    signature = expected(value)
    assert ri.sign(SECRET, value) == signature
    assert SIGNER.sign_many([value, 1]) == [signature, expected(1)]
    with int_max_str_digits(640):
        assert ri.sign(SECRET, value) == signature
        assert SIGNER.sign(hostile_int(["__str__", "__repr__", "to_bytes"], "raise")(value)) == signature


def test_digit_limit_below_the_value_while_signing() -> None:
    value = 3**2000  # 955 digits
    signature = expected(value)
    with int_max_str_digits(640):
        with pytest.raises(ValueError):
            str(value)  # the limit is in force ...
        assert ri.sign(SECRET, value) == signature  # ... and does not apply to signing
        assert SIGNER.verify(value, signature)


@pytest.mark.parametrize("power", [9, 18, 19, 27, 36, 38, 39, 45, 63])
def test_decimal_chunk_boundaries(power: int) -> None:
    for value in (10**power - 1, 10**power, 10**power + 1, 10**power * 10**power, -(10**power)):
        assert ri.sign(SECRET, value) == expected(value), value


@settings(max_examples=1500, deadline=None)
@given(value=st.one_of(st.integers(), st.integers(min_value=-(2**5000), max_value=2**5000)))
def test_any_integer_matches_stdlib(value: int) -> None:
    assert SIGNER.sign(value) == expected(value)


@pytest.mark.parametrize("bad", [True, False])
def test_bool_is_refused(bad: bool) -> None:
    with pytest.raises(TypeError, match="not bool"):
        ri.sign(SECRET, bad)
    with pytest.raises(TypeError, match=r"user_ids\[1\].*not bool"):
        SIGNER.sign_many([1, bad])


def test_bool_cannot_be_subclassed() -> None:
    # So "int but not bool" is the whole rule: no bool subclass can slip through as an int.
    with pytest.raises(TypeError):
        type("MyBool", (bool,), {})


class IndexOnly:
    def __index__(self) -> int:
        return 5


class IntOnly:
    def __int__(self) -> int:
        return 5


class PretendsToBeInt:
    """isinstance(x, int) is True through __class__, but it holds no int value."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return int

    def __index__(self) -> int:
        return 5


@pytest.mark.parametrize("bad", [IndexOnly(), IntOnly(), PretendsToBeInt(), 5.0, complex(5), range(5)])
def test_integer_like_objects_are_refused(bad: object) -> None:
    if isinstance(bad, PretendsToBeInt):
        assert isinstance(bad, int)
    with pytest.raises(TypeError, match="user id must be str, bytes, bytearray or int"):
        ri.sign(SECRET, bad)
    with pytest.raises(TypeError, match=r"user_ids\[0\]"):
        SIGNER.sign_many([bad])


def test_decimal_and_fraction_are_refused() -> None:
    import decimal
    import fractions

    for bad in (decimal.Decimal(5), fractions.Fraction(5)):
        with pytest.raises(TypeError):
            ri.sign(SECRET, bad)
