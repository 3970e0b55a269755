"""DuckDB: sign_arrow as an Arrow UDF (the README's one-liner) and on a relation; checked against hmac."""
from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
import refiner_identity as ri
from conftest import SECRET, reference

SIGNER = ri.Signer(SECRET)
KEY = SECRET.encode()


def expected(values: list[object]) -> list[str | None]:
    return [None if v is None else reference(KEY, v if isinstance(v, bytes) else str(v).encode()) for v in values]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    # README: the Signer's method is the UDF; DuckDB hands it about 2,048 rows a call.
    connection.create_function("refiner_sign", SIGNER.sign_arrow, [duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"), type="arrow")
    return connection


def test_the_udf_signs_every_row_like_hmac(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.sql(
        "select id, refiner_sign(id) from (select case when i % 13 = 0 then null else 'user-' || i end as id "
        "from range(50000) t(i)) order by all"
    ).fetchall()
    ids = [row[0] for row in rows]
    assert [row[1] for row in rows] == expected(ids)
    assert sum(row[0] is None for row in rows) > 0


def test_the_udf_refuses_an_empty_id(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(duckdb.Error, match="invalid user id at index 1"):
        con.sql("select refiner_sign(x) from (values ('a'), (''), ('b')) t(x)").fetchall()


def test_integer_columns_through_their_arrow_export(con: duckdb.DuckDBPyConnection) -> None:
    relation = con.sql("select (i * 7919 - 1000000)::BIGINT as id from range(10000) t(i)")
    ids = [row[0] for row in relation.fetchall()]
    assert pa.array(SIGNER.sign_arrow(relation)).to_pylist() == expected(ids)
    table = relation.arrow()
    assert pa.array(SIGNER.sign_arrow(table)).to_pylist() == expected(ids)


def test_a_signature_array_goes_back_into_duckdb(con: duckdb.DuckDBPyConnection) -> None:
    signatures = SIGNER.sign_arrow(pa.array(["a", None, "b"]))
    imported = pa.table({"signature": pa.array(signatures)})
    assert con.sql("select signature from imported").fetchall() == [(s,) for s in expected(["a", None, "b"])]
