"""refiner_identity.spark.sign_column on a real local[2] SparkSession (one for the
whole module): a million ids against the standard library's HMAC, the secret
read from the executors' environment only, and the errors a user meets."""
from __future__ import annotations

import hashlib
import hmac
import os
import pathlib
import pickle
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import SECRET, reference

pa = pytest.importorskip("pyarrow")
pytest.importorskip("pyspark")

from pyspark.errors import PythonException  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402
from pyspark.sql import types as T  # noqa: E402

from refiner_identity import InvalidSecretError, Signer  # noqa: E402
from refiner_identity import spark as ri_spark  # noqa: E402

ROWS = 1_000_000
UNSET_ENV = "REFINER_TEST_KEY_NOT_ON_EXECUTORS"
# Spark's own log lines off (it loads its noisy defaults when the root logger has no appender).
QUIET_LOG4J = """\
rootLogger.level = {level}
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %m%n
"""


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    conf_dir = tmp_path_factory.mktemp("spark-conf")
    (conf_dir / "log4j2.properties").write_text(QUIET_LOG4J.format(level="off"), encoding="utf-8")
    saved = dict(os.environ)
    # The driver holds no secret: the signatures can only come from the executors' environment.
    os.environ.pop("REFINER_SECRET_KEY", None)
    os.environ.pop(UNSET_ENV, None)
    os.environ.update(PYSPARK_PYTHON=sys.executable, SPARK_LOCAL_IP="127.0.0.1", SPARK_CONF_DIR=str(conf_dir))
    session = (
        SparkSession.builder.master("local[2]")
        .appName("refiner-identity-test")
        .config("spark.executorEnv.REFINER_SECRET_KEY", SECRET)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        # The million-row result comes back to the driver in one piece.
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    try:
        yield session
    finally:
        session.stop()
        os.environ.clear()
        os.environ.update(saved)


def text_id(n: int) -> str | None:
    if n % 9973 == 0:
        return None
    kind = n % 5
    if kind == 0:
        return f"user-{n}"
    if kind == 1:
        return f"José Ñúñez {n}"
    if kind == 2:
        return f"👩‍💻{n}" + "x" * (n % 97)
    if kind == 3:
        return f"  spaced\t{n}\n"
    return str(n)


def int_id(n: int) -> int | None:
    if n % 10007 == 1:
        return None
    if n % 100_003 == 2:
        return -(2**63) if n % 2 else 2**63 - 1
    return (n - ROWS // 2) * 9_223_372_036_854 + n % 7


def expected(ids: list[Any]) -> list[str | None]:
    key = SECRET.encode()
    return [
        None if value is None else hmac.new(key, str(value).encode(), hashlib.sha256).hexdigest() for value in ids
    ]


def text_column(n: Any) -> Any:
    """Spark's side of text_id: building the ids there is far cheaper than shipping them."""
    return (
        F.when(n % 9973 == 0, F.lit(None))
        .when(n % 5 == 0, F.concat(F.lit("user-"), n.cast("string")))
        .when(n % 5 == 1, F.concat(F.lit("José Ñúñez "), n.cast("string")))
        .when(n % 5 == 2, F.concat(F.lit("👩‍💻"), n.cast("string"), F.repeat(F.lit("x"), (n % 97).cast("int"))))
        .when(n % 5 == 3, F.concat(F.lit("  spaced\t"), n.cast("string"), F.lit("\n")))
        .otherwise(n.cast("string"))
    )


def int_column(n: Any) -> Any:
    """Spark's side of int_id."""
    return (
        F.when(n % 10007 == 1, F.lit(None))
        .when(n % 100_003 == 2, F.when(n % 2 == 1, F.lit(-(2**63))).otherwise(F.lit(2**63 - 1)))
        .otherwise((n - ROWS // 2) * 9_223_372_036_854 + n % 7)
        .cast("long")
    )


def test_a_million_text_and_integer_ids_match_the_stdlib_hmac(spark: SparkSession) -> None:
    texts = [text_id(n) for n in range(ROWS)]
    ints = [int_id(n) for n in range(ROWS)]
    n = F.col("id")
    df = spark.range(ROWS, numPartitions=2).select(text_column(n).alias("text_id"), int_column(n).alias("int_id"))
    signed = ri_spark.sign_column(df, "text_id", output_col="text_signature")
    signed = ri_spark.sign_column(signed, "int_id")
    result = signed.toArrow()

    assert result.column_names == ["text_id", "int_id", "text_signature", "refiner_signature"]
    # No shuffle, so the rows come back in order and intact.
    assert result.column("text_id").to_pylist() == texts
    assert result.column("int_id").to_pylist() == ints
    assert result.column("text_signature").to_pylist() == expected(texts)
    assert result.column("refiner_signature").to_pylist() == expected(ints)
    assert texts.count(None) > 0 and ints.count(None) > 0


def test_binary_and_narrow_integer_columns(spark: SparkSession) -> None:
    schema = T.StructType(
        [
            T.StructField("raw", T.BinaryType()),
            T.StructField("tiny", T.ByteType()),
            T.StructField("small", T.ShortType()),
            T.StructField("int", T.IntegerType()),
        ]
    )
    data = [
        (b"\xff\xfe not utf-8", -128, -32768, -(2**31)),
        (b"plain", 127, 32767, 2**31 - 1),
        (None, None, None, None),
        (bytes(range(256)), 0, 7, 42),
    ]
    df = spark.createDataFrame(data, schema)
    for name in ("raw", "tiny", "small", "int"):
        df = ri_spark.sign_column(df, name, output_col=f"{name}_sig")
    for row in df.collect():
        raw, tiny, small, integer, *signatures = row
        ids = [raw, tiny, small, integer]
        key = SECRET.encode()
        want = [
            None if value is None else reference(key, value if isinstance(value, bytes) else str(value).encode())
            for value in ids
        ]
        assert signatures == want


def test_a_job_without_the_executor_variable_fails_with_our_message(spark: SparkSession) -> None:
    df = spark.createDataFrame([("alice",), ("bob",)], "user_id string")
    with pytest.raises(PythonException) as error:
        ri_spark.sign_column(df, "user_id", secret_env=UNSET_ENV).collect()
    message = str(error.value)
    assert "InvalidSecretError" in message
    assert f"invalid secret key (environment variable {UNSET_ENV}): the variable is not set" in message
    assert f"spark.executorEnv.{UNSET_ENV}" in message
    assert SECRET not in message


def test_an_empty_id_fails_the_job_naming_the_column(spark: SparkSession) -> None:
    df = spark.createDataFrame([("alice",), ("",)], "user_id string")
    for signed in (
        ri_spark.sign_column(df, "user_id"),
        ri_spark._sign_with_map_in_arrow(df, "user_id", "REFINER_SECRET_KEY", "refiner_signature"),
    ):
        with pytest.raises(PythonException) as error:
            signed.collect()
        message = str(error.value)
        assert "InvalidUserIdError: column 'user_id': invalid user id at index" in message
        assert "the index counts rows of one Arrow batch, not of the DataFrame" in message
        assert SECRET not in message


def test_map_in_arrow_path_for_spark_before_4_1(spark: SparkSession) -> None:
    n = F.col("id")
    df = spark.range(20_000, numPartitions=2).select(
        n.alias("n"), text_column(n).alias("user_id"), F.lit("old").alias("refiner_signature")
    )
    signed = ri_spark._sign_with_map_in_arrow(df, "user_id", "REFINER_SECRET_KEY", "refiner_signature")
    # Replaced in place, like withColumn.
    assert signed.columns == ["n", "user_id", "refiner_signature"]
    assert signed.schema["n"].dataType == T.LongType()
    result = sorted(signed.collect())
    assert [row.n for row in result] == list(range(20_000))
    assert [row.refiner_signature for row in result] == expected([row.user_id for row in result])
    assert sum(row.user_id is None for row in result) == 3


def test_a_signer_captured_in_a_closure_is_refused_before_the_job(spark: SparkSession) -> None:
    signer = Signer(SECRET)
    df = spark.createDataFrame([("alice",)], "user_id string")

    def sign_batches(batches: Iterator[Any]) -> Iterator[Any]:
        for batch in batches:
            yield pa.RecordBatch.from_arrays([pa.array(signer.sign_many(batch.column(0).to_pylist()))], ["s"])

    # pyspark's CloudPickleSerializer reraises our TypeError as a PicklingError with its text.
    with pytest.raises(pickle.PicklingError) as error:
        df.mapInArrow(sign_batches, "s string").collect()
    assert "key material" in str(error.value) and "refiner_identity.spark.sign_column" in str(error.value)
    assert SECRET not in str(error.value)


def test_driver_side_errors_name_the_problem(spark: SparkSession) -> None:
    df = spark.createDataFrame([(1.5, "a")], "score double, user_id string")
    with pytest.raises(TypeError, match=r"column 'score' is double; sign_column takes string, binary or integer"):
        ri_spark.sign_column(df, "score")
    with pytest.raises(ValueError, match=r"column 'missing' is not in the DataFrame \(columns: score, user_id\)"):
        ri_spark.sign_column(df, "missing")
    with pytest.raises(TypeError, match="column must be a str, not int"):
        ri_spark.sign_column(df, 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="secret_env: an environment variable name cannot contain '='"):
        ri_spark.sign_column(df, "user_id", secret_env="A=B")
    with pytest.raises(ValueError, match="output_col must be a non-empty name"):
        ri_spark.sign_column(df, "user_id", output_col="")


def test_the_serialized_function_holds_the_variable_name_only() -> None:
    cloudpickle = pytest.importorskip("pyspark.cloudpickle")
    payload = cloudpickle.dumps(ri_spark._signing_function("REFINER_SECRET_KEY", "user_id"))
    assert b"REFINER_SECRET_KEY" in payload
    assert b"Signer" not in payload.replace(b"_signer", b"")


def test_one_signer_per_process_and_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ri_spark, "_SIGNERS", {})
    monkeypatch.setenv("REFINER_TEST_SPARK_KEY", SECRET)
    first = ri_spark._signer("REFINER_TEST_SPARK_KEY")
    monkeypatch.setenv("REFINER_TEST_SPARK_KEY", "another-secret-key")
    assert ri_spark._signer("REFINER_TEST_SPARK_KEY") is first
    assert first.sign("alice") == reference(SECRET.encode(), b"alice")
    with pytest.raises(InvalidSecretError, match="spark.executorEnv.REFINER_TEST_UNSET_SPARK_KEY"):
        ri_spark._signer("REFINER_TEST_UNSET_SPARK_KEY")
    assert list(ri_spark._SIGNERS) == ["REFINER_TEST_SPARK_KEY"]


def test_importing_the_module_does_not_import_pyspark() -> None:
    import subprocess

    code = "import sys, refiner_identity.spark; print('pyspark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=pathlib.Path("/"))
    assert out.stdout.strip() == "False"
