"""Hostile host objects in renderer arguments: subclasses overriding every way a
value could be read, a tzinfo that mutates the traits it is read from, keys
that lie about their equality, and a replaced `datetime.datetime` (freezegun).
Each renders what the object holds, or fails with a clear error."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from collections import OrderedDict
from typing import Any

import channels_reference as ref
import pytest
import refiner_identity as ri
from conftest import SECRET

SIGNER = ri.Signer(SECRET)
URL = "https://refiner.example/s"
UTC = dt.timezone.utc


def wrong(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("the binding called a method of the object")


def renders_as(traits: Any, expected: dict[str, Any], **identity: Any) -> None:
    """Every renderer (and a batch) sees `expected` where `traits` was passed."""
    # The reference gets exact strs (str.__str__ copies what a subclass holds).
    plain = {key: str.__str__(value) for key, value in identity.items()}
    assert SIGNER.identify_call("u", traits=traits, **identity) == ref.identify_call(SECRET, "u", traits=expected,
                                                                                      **plain)
    assert SIGNER.gtm_traits("u", traits=traits, **identity) == SIGNER.gtm_traits("u", traits=expected, **plain)
    link = ref.survey_link(SECRET, URL, "u", traits=expected, **plain)
    assert SIGNER.survey_link(URL, "u", traits=traits, **identity) == link
    assert SIGNER.survey_links(URL, [{"id": "u", "traits": traits, **identity}]) == [link]


DICT_METHODS = ["items", "keys", "values", "__iter__", "__getitem__", "get", "__len__", "__contains__", "copy",
                "__reversed__", "__eq__"]


@pytest.mark.parametrize("method", DICT_METHODS)
def test_dict_subclass_is_read_as_stored(method: str) -> None:
    cls = type("HostileDict", (dict,), {method: wrong})
    renders_as(cls(plan="pro", seats=3), {"plan": "pro", "seats": 3})
    response = cls(source="x")
    assert SIGNER.survey_link(URL, "u", response=response) == ref.survey_link(SECRET, URL, "u",
                                                                              response={"source": "x"})


@pytest.mark.parametrize("method", DICT_METHODS)
def test_identity_dict_subclass_is_read_as_stored(method: str) -> None:
    cls = type("HostileDict", (dict,), {method: wrong})
    item = cls(id="u", email="e@x", traits={"a": 1})
    assert SIGNER.survey_links(URL, [item]) == [ref.survey_link(SECRET, URL, "u", email="e@x", traits={"a": 1})]


STR_METHODS = ["__str__", "__repr__", "__format__", "encode", "__eq__", "__hash__", "__len__", "__getitem__",
               "__iter__", "__add__", "__mod__", "replace", "translate", "isidentifier", "__contains__"]


@pytest.mark.parametrize("method", STR_METHODS)
def test_str_subclass_values_names_and_options(method: str) -> None:
    cls = type("HostileStr", (str,), {method: wrong})
    name = "plan" if method in ("__hash__", "__eq__") else cls("plan")  # building the dict hashes its keys
    renders_as({name: cls("</script>")}, {"plan": "</script>"}, email=cls("e@x"), name=cls("N"))
    assert SIGNER.script_tag("u", nonce=cls("abc")) == ref.script_tag(SECRET, "u", nonce="abc")
    link = SIGNER.survey_link(cls(URL), "u", locale=cls("de"), tags=[cls("a"), cls("b")])
    assert link == ref.survey_link(SECRET, URL, "u", locale="de", tags=["a", "b"])


INT_METHODS = ["__index__", "__int__", "__str__", "__repr__", "__format__", "__abs__", "__neg__", "__lt__",
               "__gt__", "__le__", "__ge__", "__eq__", "to_bytes", "bit_length", "__rshift__", "__and__"]


@pytest.mark.parametrize("method", INT_METHODS)
def test_int_subclass_trait(method: str) -> None:
    cls = type("HostileInt", (int,), {method: wrong})
    renders_as({"seats": cls(42), "low": cls(-2_147_483_647)}, {"seats": 42, "low": -2_147_483_647})
    with pytest.raises(ri.InvalidTraitError, match='trait "big".*2147483647'):
        SIGNER.identify_call("u", traits={"big": cls(2**31)})
    with pytest.raises(ri.InvalidTraitError, match='trait "huge".*2147483647'):
        SIGNER.identify_call("u", traits={"huge": cls(10**100)})


DATE_ATTRIBUTES = ["year", "month", "day", "isoformat", "strftime", "timetuple", "toordinal", "__reduce__",
                   "__reduce_ex__", "__str__", "__format__", "replace"]


@pytest.mark.parametrize("attribute", DATE_ATTRIBUTES)
def test_date_subclass_is_read_as_stored(attribute: str) -> None:
    cls = type("HostileDate", (dt.date,), {attribute: property(wrong)})
    renders_as({"d": cls(2024, 2, 29)}, {"d": dt.date(2024, 2, 29)})


DATETIME_ATTRIBUTES = DATE_ATTRIBUTES + ["hour", "minute", "second", "microsecond", "tzinfo", "utcoffset",
                                         "timestamp", "astimezone", "__sub__", "__rsub__", "fold", "date"]


@pytest.mark.parametrize("attribute", DATETIME_ATTRIBUTES)
def test_datetime_subclass_is_read_as_stored(attribute: str) -> None:
    cls = type("HostileDatetime", (dt.datetime,), {attribute: property(wrong)})
    zone = dt.timezone(dt.timedelta(hours=-3, minutes=-30))
    renders_as({"t": cls(2024, 2, 29, 23, 59, 59, 1, tzinfo=zone)},
               {"t": dt.datetime(2024, 2, 29, 23, 59, 59, 1, tzinfo=zone)})


class CountingZone(dt.tzinfo):
    """A fixed +01:00 zone that counts how often it is asked, and can run a side effect."""

    def __init__(self, side_effect: Any = None) -> None:
        self.calls = 0
        self.side_effect = side_effect

    def utcoffset(self, _when: dt.datetime | None) -> dt.timedelta:
        self.calls += 1
        if self.side_effect:
            self.side_effect()
        return dt.timedelta(hours=1)

    def dst(self, _when: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)


def test_tzinfo_is_asked_once_per_value() -> None:
    zone = CountingZone()
    call = SIGNER.identify_call("u", traits={"t": dt.datetime(2024, 1, 1, 1, tzinfo=zone)})
    assert zone.calls == 1
    assert '"t":"2024-01-01T00:00:00Z"' in call


def test_tzinfo_mutating_the_traits_sees_a_snapshot() -> None:
    traits: dict[str, Any] = {}
    zone = CountingZone(side_effect=lambda: (traits.clear(), traits.update({f"k{i}": i for i in range(50)})))
    traits.update(a="first", t=dt.datetime(2024, 1, 1, 1, tzinfo=zone), z="last")
    call = SIGNER.identify_call("u", traits=traits)
    assert call == ref.identify_call(SECRET, "u", traits={"a": "first", "t": dt.datetime(2024, 1, 1, tzinfo=UTC),
                                                          "z": "last"})
    assert len(traits) == 50


def test_tzinfo_that_fails_passes_its_error_on() -> None:
    class Broken(dt.tzinfo):
        def utcoffset(self, _when: dt.datetime | None) -> dt.timedelta:
            raise LookupError("zone database missing")

    with pytest.raises(LookupError, match="zone database missing"):
        SIGNER.identify_call("u", traits={"t": dt.datetime(2024, 1, 1, tzinfo=Broken())})


def test_tzinfo_without_offset_is_naive() -> None:
    class Floating(dt.tzinfo):
        def utcoffset(self, _when: dt.datetime | None) -> None:
            return None

    with pytest.raises(ri.InvalidTraitError, match="without a time zone"):
        SIGNER.identify_call("u", traits={"t": dt.datetime(2024, 1, 1, tzinfo=Floating())})


class Twin(str):
    """Equal text, distinct hash: a dict can then hold the same key text twice."""

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


def test_identity_key_given_twice_is_refused() -> None:
    item = {Twin("id"): "first", Twin("id"): "second"}
    assert len(item) == 2
    with pytest.raises(TypeError, match=r"identities\[0\]: the key \"id\" is given twice"):
        SIGNER.survey_links(URL, [item])


def test_trait_name_given_twice_is_refused() -> None:
    traits = {Twin("plan"): "a", Twin("plan"): "b"}
    with pytest.raises(ri.InvalidTraitError, match='trait "plan": the name is given twice'):
        SIGNER.identify_call("u", traits=traits)


@pytest.mark.parametrize("method", ["__iter__", "__getitem__", "__len__", "index", "__reversed__"])
def test_tag_list_and_tuple_subclasses(method: str) -> None:
    for base in (list, tuple):
        cls = type("HostileTags", (base,), {method: wrong})
        link = SIGNER.survey_link(URL, "u", tags=cls(["a", "b"]))
        assert link == ref.survey_link(SECRET, URL, "u", tags=["a", "b"])


class Impostor:
    """Claims to be a str through __class__."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return str

    __str__ = __repr__ = lambda self: "impostor"  # noqa: E731


def test_impostors_are_refused() -> None:
    with pytest.raises(ri.InvalidTraitError, match="not Impostor"):
        SIGNER.identify_call("u", traits={"x": Impostor()})
    with pytest.raises(ri.InvalidTraitError, match="invalid email"):
        SIGNER.identify_call("u", email=Impostor())
    with pytest.raises(TypeError, match="url must be str"):
        SIGNER.survey_link(Impostor(), "u")


def test_real_datetimes_work_when_datetime_datetime_is_replaced() -> None:
    # freezegun replaces datetime.datetime with a subclass before the app imports
    # anything; a fresh process makes the replacement come first.
    script = textwrap.dedent("""
        import datetime
        real_datetime, real_date = datetime.datetime, datetime.date
        class FakeDatetime(real_datetime): pass
        class FakeDate(real_date): pass
        datetime.datetime, datetime.date = FakeDatetime, FakeDate
        import refiner_identity as ri
        when = real_datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
        print(ri.Signer("k").identify_call("u", traits={"t": when, "d": real_date(2024, 1, 2)}))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert '"t":"2024-01-01T00:00:00Z","d":"2024-01-02"' in out


def test_an_ordered_dict_renders_in_its_own_order() -> None:
    # Stored as b, a; OrderedDict iterates (and json.dumps writes) a, b after move_to_end.
    traits = OrderedDict(b=1, a=2)
    traits.move_to_end("b")
    renders_as(traits, {"a": 2, "b": 1})
    response = OrderedDict(y="1", x="2")
    response.move_to_end("y")
    assert SIGNER.survey_link(URL, "u", response=response) == ref.survey_link(SECRET, URL, "u",
                                                                              response={"x": "2", "y": "1"})


@pytest.mark.parametrize("method", [*DICT_METHODS, "move_to_end", "popitem"])
def test_an_ordered_dict_subclass_keeps_its_order_without_its_methods(method: str) -> None:
    cls = type("HostileOrderedDict", (OrderedDict,), {method: wrong})
    traits = cls()
    for key, value in (("b", 1), ("a", 2)):
        OrderedDict.__setitem__(traits, key, value)
    OrderedDict.move_to_end(traits, "b")
    renders_as(traits, {"a": 2, "b": 1})
