"""Polars: Series in, Series out, and the documented map_batches one-liner; checked against hmac."""
from __future__ import annotations

import polars as pl
import pytest
import refiner_identity as ri
from conftest import SECRET, reference

SIGNER = ri.Signer(SECRET)
KEY = SECRET.encode()


def expected(values: list[object]) -> list[str | None]:
    return [None if v is None else reference(KEY, v if isinstance(v, bytes) else str(v).encode()) for v in values]


def test_the_readme_one_liner_on_a_lazy_frame() -> None:
    ids = [f"user-{i}" if i % 11 else None for i in range(30_000)]
    frame = pl.LazyFrame({"id": ids})
    # README: signatures for a column of a (lazy) frame.
    signed = frame.with_columns(
        signature=pl.col("id").map_batches(lambda ids: pl.Series(SIGNER.sign_arrow(ids)), return_dtype=pl.String)
    ).collect()
    assert signed["signature"].to_list() == expected(ids)
    assert signed["signature"].dtype == pl.String


@pytest.mark.parametrize(
    "dtype", [pl.String, pl.Binary, pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64]
)
def test_every_polars_id_dtype(dtype: pl.DataType) -> None:
    if dtype == pl.String:
        ids: list[object] = ["a", None, "é" * 20, "x" * 100]
    elif dtype == pl.Binary:
        ids = [b"\xff", None, b"\x00" * 13, b"y" * 100]
    else:
        top = 127 if dtype == pl.Int8 else 255 if dtype == pl.UInt8 else 30_000
        ids = [0, None, top, 1]
    series = pl.Series("id", ids, dtype=dtype)
    result = pl.Series(SIGNER.sign_arrow(series))
    assert result.dtype == pl.String
    assert result.to_list() == expected(ids)


def test_a_series_of_several_chunks_and_a_slice() -> None:
    first = pl.Series("id", [f"a{i}" for i in range(5000)])
    second = pl.Series("id", [None, "b", "c"])
    series = first.append(second)
    assert series.n_chunks() == 2
    assert pl.Series(SIGNER.sign_arrow(series)).to_list() == expected(series.to_list())
    part = series.slice(4998, 4)
    assert pl.Series(SIGNER.sign_arrow(part)).to_list() == expected(part.to_list())


def test_an_empty_id_names_its_row() -> None:
    with pytest.raises(ri.InvalidUserIdError, match=r"^invalid user id at index 2: "):
        SIGNER.sign_arrow(pl.Series(["a", None, "", "b"]))
    frame = pl.DataFrame({"id": ["a", ""]})
    # Polars lets the UDF's own exception through.
    with pytest.raises(ri.InvalidUserIdError, match=r"^invalid user id at index 1: "):
        frame.select(pl.col("id").map_batches(lambda ids: pl.Series(SIGNER.sign_arrow(ids)), return_dtype=pl.String))


def test_other_dtypes_are_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"^ids: an Arrow column of .* cannot hold user ids"):
        SIGNER.sign_arrow(pl.Series([1.5]))
