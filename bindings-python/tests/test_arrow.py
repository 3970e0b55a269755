"""Signer.sign_arrow: every Arrow id type, chunks, slices, nulls, refused ids; checked against hmac."""
from __future__ import annotations

import random
from collections.abc import Iterator

import pyarrow as pa
import pytest
import refiner_identity as ri
from conftest import SECRET, reference

SIGNER = ri.Signer(SECRET)
KEY = SECRET.encode()

TEXT_TYPES = [pa.string(), pa.large_string(), pa.string_view()]
BINARY_TYPES = [pa.binary(), pa.large_binary(), pa.binary_view()]
INTEGER_TYPES = [pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32(), pa.uint64()]


def expected(values: list[object]) -> list[str | None]:
    """hmac over each id's bytes: text as UTF-8, integers as decimal text, None stays None."""

    def message(value: object) -> bytes:
        if isinstance(value, bytes):
            return value
        return str(value).encode()

    return [None if value is None else reference(KEY, message(value)) for value in values]


def signed(ids: object) -> list[str | None]:
    result = SIGNER.sign_arrow(ids)
    array = pa.array(result)
    assert array.type == pa.string()
    return array.to_pylist()


def texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    # Short (inline in a view) and long (in a data buffer) values, ASCII and not.
    return [f"user-{i}-" + "é" * rng.randrange(0, 3) + "x" * rng.choice([0, 5, 40, 70]) for i in range(count)]


@pytest.mark.parametrize("arrow_type", TEXT_TYPES, ids=str)
@pytest.mark.parametrize("count", [1, 2, 17, 4095, 4096, 20_000])
def test_text_types_match_hmac(arrow_type: pa.DataType, count: int) -> None:
    ids = texts(count, seed=count)
    assert signed(pa.array(ids, arrow_type)) == expected(ids)


@pytest.mark.parametrize("arrow_type", BINARY_TYPES, ids=str)
def test_binary_types_sign_the_bytes_even_when_not_utf8(arrow_type: pa.DataType) -> None:
    rng = random.Random(7)
    ids = [b"\xff\xfe", b"\x00", "José".encode("latin-1"), *(rng.randbytes(rng.randrange(1, 90)) for _ in range(5000))]
    assert signed(pa.array(ids, arrow_type)) == expected(ids)


@pytest.mark.parametrize("arrow_type", INTEGER_TYPES, ids=str)
def test_integer_types_sign_their_decimal_text(arrow_type: pa.DataType) -> None:
    bits = arrow_type.bit_width
    if pa.types.is_signed_integer(arrow_type):
        low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    else:
        low, high = 0, 2**bits - 1
    rng = random.Random(bits)
    ids = [low, high, 0, 1, *(rng.randint(low, high) for _ in range(5000))]
    assert signed(pa.array(ids, arrow_type)) == expected(ids)
    # The same text as the scalar API.
    assert signed(pa.array([high], arrow_type)) == [SIGNER.sign(high)]


@pytest.mark.parametrize("arrow_type", TEXT_TYPES + BINARY_TYPES + INTEGER_TYPES, ids=str)
def test_empty_arrays_give_empty_string_arrays(arrow_type: pa.DataType) -> None:
    assert signed(pa.array([], arrow_type)) == []
    assert signed(pa.chunked_array([], arrow_type)) == []


@pytest.mark.parametrize("arrow_type", TEXT_TYPES + BINARY_TYPES + [pa.int64(), pa.uint8()], ids=str)
def test_nulls_give_null_signatures(arrow_type: pa.DataType) -> None:
    if pa.types.is_integer(arrow_type):
        ids: list[object] = [None, 5, None, None, 7, 0, None]
    else:
        ids = [None, "a", None, None, "b" * 30, "c", None]
        if pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type) or arrow_type == pa.binary_view():
            ids = [value.encode() if isinstance(value, str) else value for value in ids]
    array = SIGNER.sign_arrow(pa.array(ids, arrow_type))
    assert array.null_count == 4
    assert len(array) == len(ids)
    assert signed(pa.array(ids, arrow_type)) == expected(ids)


def test_nulls_take_no_bytes_in_the_result() -> None:
    array = pa.array(SIGNER.sign_arrow(pa.array([None, "a", None, "b"])))
    offsets = memoryview(array.buffers()[1]).cast("i")[: len(array) + 1]
    assert list(offsets) == [0, 0, 64, 64, 128]


def test_all_null_and_null_typed_columns() -> None:
    assert signed(pa.array([None, None], pa.string())) == [None, None]
    assert signed(pa.nulls(3)) == [None, None, None]
    assert signed(pa.nulls(0)) == []


@pytest.mark.parametrize("arrow_type", TEXT_TYPES + BINARY_TYPES + [pa.int32(), pa.uint64()], ids=str)
def test_sliced_arrays_sign_their_own_rows(arrow_type: pa.DataType) -> None:
    if pa.types.is_integer(arrow_type):
        ids: list[object] = [None if i % 7 == 3 else i * 31 for i in range(9000)]
    else:
        ids = [None if i % 7 == 3 else f"user-{i}" + "y" * (i % 20) for i in range(9000)]
        if not arrow_type in TEXT_TYPES:
            ids = [value.encode() if isinstance(value, str) else value for value in ids]
    whole = pa.array(ids, arrow_type)
    for start, length in [(1, 5), (3, 0), (4097, 4500), (8999, 1), (0, 9000)]:
        part = whole.slice(start, length)
        assert part.offset == start
        assert signed(part) == expected(ids[start : start + length]), (start, length)


def test_chunked_arrays_and_streams_keep_order_across_chunks() -> None:
    ids = texts(12_345, seed=3)
    cuts = [0, 1, 1, 500, 4096, 9000, 12_345]
    chunks = [pa.array(ids[a:b], pa.string()) for a, b in zip(cuts, cuts[1:])]
    chunked = pa.chunked_array(chunks, pa.string())
    assert chunked.num_chunks == 6
    assert signed(chunked) == expected(ids)
    # A record batch reader of one column is that column.
    batches = [pa.record_batch([chunk], names=["id"]) for chunk in chunks]
    reader = pa.RecordBatchReader.from_batches(batches[0].schema, batches)
    assert signed(reader) == expected(ids)
    # So is a table of one column, and a record batch.
    assert signed(pa.table({"id": chunked})) == expected(ids)
    assert signed(batches[2]) == expected(ids[1:500])


def test_chunked_array_with_nulls_in_several_chunks() -> None:
    ids = [None if i % 5 == 0 else f"id{i}" for i in range(10_000)]
    chunked = pa.chunked_array([ids[:3000], ids[3000:3001], ids[3001:]], pa.string())
    assert signed(chunked) == expected(ids)


@pytest.mark.parametrize("arrow_type", TEXT_TYPES + BINARY_TYPES, ids=str)
def test_an_empty_id_is_refused_naming_the_lowest_row(arrow_type: pa.DataType) -> None:
    ids: list[object] = [f"u{i}" for i in range(10_000)]
    ids[0] = None
    ids[7001] = ""
    ids[9000] = ""
    if arrow_type not in TEXT_TYPES:
        ids = [value.encode() if isinstance(value, str) else value for value in ids]
    with pytest.raises(ri.InvalidUserIdError, match=r"^invalid user id at index 7001: .*non-empty"):
        SIGNER.sign_arrow(pa.array(ids, arrow_type))


def test_the_refused_row_is_counted_across_chunks_and_nulls() -> None:
    chunked = pa.chunked_array([["a", None, "b"], [None, None], ["c", ""]], pa.string())
    with pytest.raises(ri.InvalidUserIdError, match=r"^invalid user id at index 6: "):
        SIGNER.sign_arrow(chunked)


def test_a_string_column_with_invalid_utf8_is_refused_not_signed() -> None:
    raw = pa.array([b"ok", b"\xff", b""], pa.binary())
    # Same buffers, declared string: Arrow forbids this, a broken producer could send it.
    bad = pa.Array.from_buffers(pa.string(), len(raw), raw.buffers())
    with pytest.raises(ri.InvalidUserIdError, match=r"^invalid user id at index 1: .*not UTF-8.*binary"):
        SIGNER.sign_arrow(bad)


def test_a_value_cut_inside_a_character_is_not_utf8_even_if_the_buffer_is() -> None:
    data = pa.py_buffer("aé".encode())  # 61 c3 a9: valid as a whole
    offsets = pa.py_buffer(pa.array([0, 2, 3], pa.int32()).buffers()[1])
    cut = pa.Array.from_buffers(pa.string(), 2, [None, offsets, data])
    with pytest.raises(ri.InvalidUserIdError, match=r"^invalid user id at index 0: .*not UTF-8"):
        SIGNER.sign_arrow(cut)
    # The same bytes as binary are signed as they are.
    assert signed(pa.Array.from_buffers(pa.binary(), 2, [None, offsets, data])) == expected([b"a\xc3", b"\xa9"])


def test_null_slots_holding_invalid_bytes_are_never_read() -> None:
    data = pa.py_buffer(b"ok\xffno")
    offsets = pa.py_buffer(pa.array([0, 2, 3, 5], pa.int32()).buffers()[1])
    validity = pa.array([True, False, True]).buffers()[1]
    array = pa.Array.from_buffers(pa.string(), 3, [validity, offsets, data], null_count=1)
    assert signed(array) == expected(["ok", None, "no"])


def test_a_string_view_with_an_invalid_value_names_its_row() -> None:
    ids = [f"long-enough-to-live-in-a-buffer-{i}" for i in range(10)] + ["short"]
    views = pa.array(ids, pa.string_view())
    assert signed(views) == expected(ids)
    raw = pa.array([i.encode() for i in ids[:3]] + [b"\xff" * 20], pa.binary_view())
    bad = pa.Array.from_buffers(pa.string_view(), 4, raw.buffers())
    with pytest.raises(ri.InvalidUserIdError, match=r"^invalid user id at index 3: .*not UTF-8"):
        SIGNER.sign_arrow(bad)


def test_offsets_outside_the_data_buffer_are_an_error_not_a_read() -> None:
    data = pa.py_buffer(b"abcdef")
    offsets = pa.py_buffer(pa.array([0, 2, 1_000_000, 6], pa.int32()).buffers()[1])
    bad = pa.Array.from_buffers(pa.binary(), 3, [None, offsets, data])
    with pytest.raises(ValueError, match="malformed"):
        SIGNER.sign_arrow(bad)


@pytest.mark.parametrize(
    "ids",
    [pa.array([1.5]), pa.array([True]), pa.array([[1]]), pa.array(["a"]).dictionary_encode(), pa.array([{"a": 1, "b": 2}])],
    ids=["double", "bool", "list", "dictionary", "struct of two"],
)
def test_other_arrow_types_are_a_type_error(ids: pa.Array) -> None:
    with pytest.raises(TypeError, match=r"^ids: an Arrow column of .* cannot hold user ids; the types are string"):
        SIGNER.sign_arrow(ids)


def test_the_type_is_named_as_pyarrow_names_it() -> None:
    with pytest.raises(TypeError, match=r"^ids: an Arrow column of double cannot hold user ids"):
        SIGNER.sign_arrow(pa.array([1.5]))


@pytest.mark.parametrize("value", [["a"], "abc", b"abc", None, 5], ids=repr)
def test_objects_without_the_arrow_interface_are_a_type_error(value: object) -> None:
    with pytest.raises(TypeError, match=r"^ids must be an Arrow array or stream .* not "):
        SIGNER.sign_arrow(value)


def test_the_result_exports_array_stream_and_schema() -> None:
    result = SIGNER.sign_arrow(pa.array(["a", None]))
    assert repr(result) == "ArrowStringArray(type=string, len=2, null_count=1)"
    assert isinstance(result, ri.ArrowStringArray)
    want = expected(["a", None])
    assert pa.array(result).to_pylist() == want
    assert pa.chunked_array(result).to_pylist() == want
    assert pa.RecordBatchReader.from_stream(pa.table({"s": pa.chunked_array(result)})).read_all()["s"].to_pylist() == want
    assert pa.schema([pa.field(result)]).field(0).type == pa.string()
    # A consumer may ask for another type; the array is cast for it.
    assert pa.array(result, type=pa.large_string()).type == pa.large_string()
    # Exporting twice is fine: the result stays valid.
    assert pa.array(result).to_pylist() == pa.array(result).to_pylist()


def test_the_result_outlives_the_input_and_the_exports() -> None:
    ids = pa.array(texts(5000, seed=5))
    result = SIGNER.sign_arrow(ids)
    want = expected(ids.to_pylist())
    del ids
    exported = pa.array(result)
    del result
    assert exported.to_pylist() == want


def test_previous_keys_do_not_sign() -> None:
    rotating = ri.Signer("new-key-for-arrow", previous=[SECRET])
    assert pa.array(rotating.sign_arrow(pa.array(["a"]))).to_pylist() == [reference(b"new-key-for-arrow", b"a")]


def test_the_secret_is_in_no_message() -> None:
    for bad in (pa.array([""]), pa.array([1.5]), [1]):
        with pytest.raises(Exception) as info:
            SIGNER.sign_arrow(bad)
        assert SECRET not in str(info.value)


def test_nanoarrow_arrays_and_streams_in_and_out() -> None:
    na = pytest.importorskip("nanoarrow")
    ids = ["a", None, "ccc"]
    assert signed(na.c_array(ids, na.string())) == expected(ids)
    assert signed(na.c_array_stream(na.c_array(ids, na.string()))) == expected(ids)
    assert na.Array(SIGNER.sign_arrow(pa.array(ids))).to_pylist() == expected(ids)


class Capsules:
    """A producer handing out fixed capsules (which a reader consumes)."""

    def __init__(self, schema: object, array: object) -> None:
        self.schema, self.array = schema, array

    def __arrow_c_array__(self, requested_schema: object = None) -> tuple[object, object]:
        return self.schema, self.array


def test_a_stream_chunk_that_does_not_fit_its_schema_is_a_value_error() -> None:
    schema = pa.schema([("id", pa.string())])

    def batches() -> Iterator[pa.RecordBatch]:
        yield pa.record_batch({"id": ["a"]})
        yield pa.record_batch({"id": [1]})  # int64 where the schema says string

    with pytest.raises(ValueError, match=r"^ids: the Arrow data is malformed: chunk 1 does not fit"):
        SIGNER.sign_arrow(pa.RecordBatchReader.from_batches(schema, batches()))
    with pytest.raises(ValueError, match=r"^identities: the Arrow data is malformed: chunk 1 does not fit"):
        SIGNER.survey_links_arrow("https://x.example/s", pa.RecordBatchReader.from_batches(schema, batches()))


@pytest.mark.parametrize(("schema_of", "array_of"), [
    (pa.array([1, 2]), pa.array(["x", "y"])),
    (pa.array(["x", "y"]), pa.array([1, 2])),
    (pa.array([{"id": "x"}]), pa.array([1])),
])
def test_a_schema_capsule_over_an_array_of_another_layout_is_a_value_error(schema_of: pa.Array,
                                                                            array_of: pa.Array) -> None:
    producer = Capsules(schema_of.__arrow_c_array__()[0], array_of.__arrow_c_array__()[1])
    with pytest.raises(ValueError, match=r"^ids: the Arrow data is malformed: a .+ array has \d+ (buffers|children)"):
        SIGNER.sign_arrow(producer)


def test_released_capsules_and_swapped_ones_are_errors() -> None:
    ids = pa.array(["a"])
    producer = Capsules(*ids.__arrow_c_array__())
    assert signed(producer) == expected(["a"])
    with pytest.raises(ValueError, match=r"^ids: the Arrow array capsule was already released"):
        SIGNER.sign_arrow(producer)
    stream = pa.chunked_array([ids]).__arrow_c_stream__()

    class Stream:
        def __arrow_c_stream__(self, requested_schema: object = None) -> object:
            return stream

    assert signed(Stream()) == expected(["a"])
    with pytest.raises(ValueError, match=r"^ids: the Arrow stream capsule was already released"):
        SIGNER.sign_arrow(Stream())
    schema, array = ids.__arrow_c_array__()
    with pytest.raises(TypeError, match=r"^ids: expected an arrow_schema capsule, got an arrow_array capsule"):
        SIGNER.sign_arrow(Capsules(array, schema))
