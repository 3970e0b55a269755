"""Signer.survey_links_arrow: a table with survey_links' keys as columns gives the reference's links."""
from __future__ import annotations

import datetime as dt
from typing import Any

import channels_reference as ref
import polars as pl
import pyarrow as pa
import pytest
import refiner_identity as ri
from conftest import SECRET

SIGNER = ri.Signer(SECRET)
URL = "https://refiner.example/s/abc?ref=arrow#top"
UTC = dt.timezone.utc


def identity(index: int) -> dict[str, Any]:
    """Every column, every trait type, hostile text, nulls that leave fields out."""
    return {
        "id": f"user-{index}-é",
        "email": f"u{index}@example.com" if index % 2 else None,
        "name": f"</script> {index} \u2028 😀" if index % 5 == 1 else None,
        "traits": {
            "plan": ["free", "pro", None][index % 3],
            "seats": index % 1000 if index % 4 else None,
            "since": dt.date(2000 + index % 30, 1 + index % 12, 1 + index % 28),
            "seen": dt.datetime(2024, 1, 1, tzinfo=UTC) + dt.timedelta(seconds=index * 37, microseconds=index % 7),
        },
        "locale": ["de", "fr-CH", None][index % 3],
        "tags": f"t{index},x y" if index % 7 == 0 else None,
        "response": {"source": "mail & more" if index % 11 == 0 else None, "n": index},
    }


SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("email", pa.string()),
        ("name", pa.string()),
        ("traits", pa.struct([("plan", pa.string()), ("seats", pa.int64()), ("since", pa.date32()),
                              ("seen", pa.timestamp("us", tz="UTC"))])),
        ("locale", pa.string()),
        ("tags", pa.string()),
        ("response", pa.struct([("source", pa.string()), ("n", pa.int64())])),
    ]
)


def reference_link(item: dict[str, Any]) -> str | None:
    if item["id"] is None:
        return None
    rest = {key: value for key, value in item.items() if key != "id"}
    return ref.survey_link(SECRET, URL, item["id"], **rest)


def links(table: object) -> list[str | None]:
    result = pa.array(SIGNER.survey_links_arrow(URL, table))
    assert result.type == pa.string()
    return result.to_pylist()


@pytest.mark.parametrize("count", [0, 1, 17, 4096, 20_000])
def test_a_table_from_the_dicts_gives_the_reference_links(count: int) -> None:
    items = [identity(index) for index in range(count)]
    table = pa.Table.from_pylist(items, schema=SCHEMA)
    assert links(table) == [reference_link(item) for item in items]
    if count:
        # The same as the dict API on the same identities.
        assert links(table) == SIGNER.survey_links(URL, [{k: v for k, v in i.items() if v is not None} for i in items])


def test_null_ids_give_null_links_and_other_columns_are_optional() -> None:
    table = pa.table({"id": ["a", None, "b"]})
    assert links(table) == [ref.survey_link(SECRET, URL, "a"), None, ref.survey_link(SECRET, URL, "b")]
    assert SIGNER.survey_links_arrow(URL, table).null_count == 1


def test_integer_and_binary_ids() -> None:
    assert links(pa.table({"id": pa.array([5, -7], pa.int16())})) == [
        ref.survey_link(SECRET, URL, 5),
        ref.survey_link(SECRET, URL, -7),
    ]
    assert links(pa.table({"id": pa.array([b"bytes-id"], pa.binary())})) == [ref.survey_link(SECRET, URL, "bytes-id")]
    with pytest.raises(ri.InvalidUserIdError, match=r"^invalid user id at index 1: .*not valid UTF-8"):
        SIGNER.survey_links_arrow(URL, pa.table({"id": pa.array([b"ok", b"\xff"], pa.binary())}))


def test_record_batches_readers_chunks_slices_and_polars() -> None:
    items = [identity(index) for index in range(9000)]
    table = pa.Table.from_pylist(items, schema=SCHEMA)
    want = [reference_link(item) for item in items]
    batches = table.to_batches(max_chunksize=2500)
    assert len(batches) == 4
    assert links(pa.Table.from_batches(batches)) == want
    assert links(pa.RecordBatchReader.from_batches(table.schema, batches)) == want
    assert links(batches[1]) == want[2500:5000]
    assert links(table.slice(4001, 3000)) == want[4001:7001]
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    assert links(frame) == want


def test_the_first_bad_row_is_named_whatever_its_problem() -> None:
    items = [identity(index) for index in range(6000)]
    items[5000]["traits"]["plan"] = "x" * 10_001  # too long: found by the core
    items[4000]["id"] = ""  # empty id: refused
    items[3000]["id"] = None  # a null id is no error
    table = pa.Table.from_pylist(items, schema=SCHEMA)
    with pytest.raises(ri.InvalidUserIdError, match=r"^invalid user id at index 4000: "):
        SIGNER.survey_links_arrow(URL, table)
    items[4000]["id"] = "fine"
    with pytest.raises(ri.InvalidTraitError, match=r"^at index 5000: invalid trait \"plan\": "):
        SIGNER.survey_links_arrow(URL, pa.Table.from_pylist(items, schema=SCHEMA))


def test_a_row_error_after_a_core_error_names_the_core_one() -> None:
    # Row 1 breaks a core rule (an integer out of Refiner's range), row 2 holds bytes no text can.
    traits = pa.array([{"n": 1}, {"n": 2**40}, {"n": 3}])
    email = pa.Array.from_buffers(pa.string(), 3, pa.array([b"a", b"b", b"\xff"], pa.binary()).buffers())
    table = pa.table({"id": ["a", "b", "c"], "email": email, "traits": traits})
    with pytest.raises(ri.InvalidTraitError, match=r"^at index 1: invalid trait \"n\": .*2147483647"):
        SIGNER.survey_links_arrow(URL, table)
    table = pa.table({"id": ["a", "b", "c"], "email": email})
    with pytest.raises(ri.InvalidTraitError, match=r"^at index 2: invalid email: .*not UTF-8"):
        SIGNER.survey_links_arrow(URL, table)


def test_timestamps_in_every_unit_and_dates_as_date64() -> None:
    moment = dt.datetime(2024, 6, 1, 12, 30, 15, 999_999, tzinfo=UTC)
    want = ref.survey_link(SECRET, URL, "a", traits={"seen": moment, "day": dt.date(1969, 12, 31)})
    for unit in ("s", "ms", "us", "ns"):
        seen = pa.array([moment], pa.timestamp(unit, tz="Europe/Paris"))
        day = pa.array([dt.date(1969, 12, 31)], pa.date64())
        traits = pa.StructArray.from_arrays([seen, day], names=["seen", "day"])
        assert links(pa.table({"id": ["a"], "traits": traits})) == [want], unit


def test_wrong_column_types_and_names_are_refused_before_any_row() -> None:
    cases = [
        (pa.table({"email": ["a"]}), TypeError, r"^identities: the column \"id\" is required"),
        (pa.table({"id": ["a"], "plan": ["x"]}), TypeError, r"^identities: unknown column \"plan\"; the columns are"),
        (pa.table({"id": [1.5]}), TypeError, r"^identities: the id column is double; the id types are"),
        (pa.table({"id": ["a"], "email": [5]}), ri.InvalidTraitError, r"^invalid email: Refiner accepts text"),
        (pa.table({"id": ["a"], "traits": [{"score": 1.5}]}), ri.InvalidTraitError, r"^invalid trait \"score\": "),
        (
            pa.table({"id": ["a"], "traits": pa.array([{"t": dt.datetime(2024, 1, 1)}])}),
            ri.InvalidTraitError,
            r"^invalid trait \"t\": a datetime without a time zone",
        ),
        (pa.table({"id": ["a"], "tags": [["x", "y"]]}), ri.InvalidOptionError, r"^invalid tags: expected a string column"),
        (pa.table({"id": ["a"], "traits": ["x"]}), TypeError, r"^identities: the traits column must be a struct"),
        (pa.array(["a"]), TypeError, r"^identities must be an Arrow table, record batch or struct array"),
        ([{"id": "a"}], TypeError, r"^identities must be an Arrow array or stream"),
    ]
    for table, error, message in cases:
        with pytest.raises(error, match=message):
            SIGNER.survey_links_arrow(URL, table)


def test_the_url_is_checked_once() -> None:
    with pytest.raises(ri.InvalidOptionError, match="survey url"):
        SIGNER.survey_links_arrow("ftp://x", pa.table({"id": ["a"]}))


@pytest.mark.parametrize("column", ["id", "traits", "email"])
def test_a_column_given_twice_is_refused(column: str) -> None:
    values = {"id": pa.array(["alice"]), "email": pa.array(["a@x"]),
              "traits": pa.StructArray.from_arrays([pa.array(["pro"])], names=["plan"])}
    others = [values[column]] if column == "id" else [values[column], values[column]]
    table = pa.Table.from_arrays([values["id"], *others], names=["id", *[column] * len(others)])
    with pytest.raises(TypeError, match=f"^identities: the column \"{column}\" appears twice"):
        SIGNER.survey_links_arrow(URL, table)


def test_an_unreadable_id_is_refused_as_sign_arrow_refuses_it() -> None:
    def offsets(*values: int) -> pa.Buffer:
        return pa.py_buffer(pa.array(values, pa.int32()).buffers()[1])

    data = pa.py_buffer(b"ab\xffcd")
    not_utf8 = pa.Array.from_buffers(pa.string(), 2, [None, offsets(0, 2, 3), data])
    outside = pa.Array.from_buffers(pa.binary(), 2, [None, offsets(0, -5, 2), data])
    for ids, error, message in [
        (not_utf8, ri.InvalidUserIdError, r"^invalid user id at index 1: this string column holds bytes that are "
                                          r"not UTF-8"),
        (outside, ValueError, r"the Arrow array is malformed: the value at index 0 lies outside its buffers"),
    ]:
        with pytest.raises(error, match=message):
            SIGNER.sign_arrow(ids)
        with pytest.raises(error, match=message):
            SIGNER.survey_links_arrow(URL, pa.StructArray.from_arrays([ids], names=["id"]))
    # An earlier bad row of another column is still named first.
    email = pa.Array.from_buffers(pa.string(), 2, [None, offsets(0, 1, 2), pa.py_buffer(b"\xffa")])
    with pytest.raises(ri.InvalidTraitError, match=r"^at index 0: invalid email: "):
        SIGNER.survey_links_arrow(URL, pa.StructArray.from_arrays([not_utf8, email], names=["id", "email"]))
