#!/usr/bin/env python3
"""Spark benchmark: refiner_identity.spark.sign_column against the standard
library's hmac in Spark's usual shapes, on one local[2] session.

Every variant reads the same cached column of ids and is forced with a `noop`
write (a `count()` would let Spark drop the signature column unevaluated). The
identity mapInArrow is Spark's own cost of moving the column to Python and
back: the floor. Each run starts after a full garbage collection in the driver's
JVM and Python. The floor and sign_column run back to back in `--pair-rounds`
rounds, taking turns at going first (whichever runs first pays for what the
previous run left behind); the other variants run in `--rounds` rounds.
Figures are medians; the floor ratio is the median of per-round ratios (the
machine may be shared), the stdlib ratio the fastest stdlib variant's median
over sign_column's. Outputs are compared with hmac on the driver before
anything is timed. Prints a table and, last, one JSON line (`RESULT {...}`)
for the combined `make bench` table.

    python spark_bench.py [--rows 10000000] [--rounds 2] [--pair-rounds 5]
"""

import argparse
import gc
import hashlib
import hmac
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

KEY = "bench-secret-key-0123456789"
ENV = "REFINER_SECRET_KEY"
TARGET_VS_FLOOR = 1.5  # sign_column at most this many times the floor's time
TARGET_VS_STDLIB = 3.0  # and at least this many times the fastest stdlib variant's rows/s
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


def session(conf_dir: str) -> Any:
    os.environ.update(PYSPARK_PYTHON=sys.executable, SPARK_LOCAL_IP="127.0.0.1", SPARK_CONF_DIR=conf_dir)
    with open(os.path.join(conf_dir, "log4j2.properties"), "w", encoding="utf-8") as f:
        f.write(QUIET_LOG4J.format(level="error"))
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .appName("refiner-identity-bench")
        .config(f"spark.executorEnv.{ENV}", KEY)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "3g")
        .getOrCreate()
    )


def variants(df: Any, with_breakdown: bool = False) -> dict[str, Callable[[], Any]]:
    """Name -> the DataFrame it writes; the stdlib ones read the key on the executor too."""
    import pandas as pd
    import pyarrow as pa
    from pyspark.sql import functions as F

    from refiner_identity import Signer
    from refiner_identity.spark import _sign_with_map_in_arrow, sign_column

    def identity(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        yield from batches

    def hmac_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        key = os.environ[ENV].encode()
        for batch in batches:
            ids = batch.column(0).to_pylist()
            signatures = [hmac.new(key, i.encode(), hashlib.sha256).hexdigest() for i in ids]
            yield pa.RecordBatch.from_arrays([batch.column(0), pa.array(signatures, pa.string())], ["user_id", "s"])

    @F.pandas_udf("string")
    def hmac_pandas(ids: pd.Series) -> pd.Series:
        key = os.environ[ENV].encode()
        return pd.Series([hmac.new(key, i.encode(), hashlib.sha256).hexdigest() for i in ids])

    # No type hints: Spark would try to read a UDF kind from them.
    def hmac_one(user_id):  # type: ignore[no-untyped-def]
        return hmac.new(os.environ[ENV].encode(), user_id.encode(), hashlib.sha256).hexdigest()

    hmac_python = F.udf(hmac_one, "string")

    constant = pa.array(["f" * 64] * 20_000, pa.string())

    def signing_only(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        signer = Signer.from_env(ENV)
        for batch in batches:
            signer.sign_arrow(batch.column(0))
            yield batch

    def constant_output(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield pa.RecordBatch.from_arrays([batch.column(0), constant.slice(0, batch.num_rows)], ["user_id", "s"])

    def identity_array(ids: pa.Array) -> pa.Array:
        return ids

    # Where sign_column's time goes beyond the floor (--breakdown; not in make bench).
    breakdown = {
        "breakdown: mapInArrow signing, ids returned": lambda: df.mapInArrow(signing_only, df.schema),
        "breakdown: mapInArrow + constant 64-char column": lambda: df.mapInArrow(
            constant_output, "user_id string, s string"
        ),
        "breakdown: identity Arrow UDF": lambda: df.withColumn("s", F.arrow_udf(identity_array, "string")("user_id")),
        "breakdown: sign_column's mapInArrow path": lambda: _sign_with_map_in_arrow(df, "user_id", ENV, "s"),
    }
    return {
        "identity mapInArrow (floor)": lambda: df.mapInArrow(identity, df.schema),
        "sign_column": lambda: sign_column(df, "user_id", output_col="s"),
        "mapInArrow + hmac.new": lambda: df.mapInArrow(hmac_batches, "user_id string, s string"),
        "pandas UDF + hmac.new": lambda: df.withColumn("s", hmac_pandas("user_id")),
        "Python UDF + hmac.new": lambda: df.withColumn("s", hmac_python("user_id")),
        **(breakdown if with_breakdown else {}),
    }


def check_outputs(build: dict[str, Callable[[], Any]], rows: int) -> None:
    """Every signing variant gives hmac's signatures for every id of a small column
    (whole: a `limit` would leave Python workers writing into closed pipes)."""
    key = KEY.encode()
    for name, make in build.items():
        sample = make().collect()  # also warms every variant up, the floor included
        assert len(sample) == rows, name
        if "floor" in name or "breakdown" in name:
            continue
        for row in sample:
            assert row.s == hmac.new(key, row.user_id.encode(), hashlib.sha256).hexdigest(), f"{name} differs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the other variants")
    parser.add_argument("--pair-rounds", type=int, default=5, help="rounds of the floor and sign_column")
    parser.add_argument("--breakdown", action="store_true", help="also time where sign_column's time goes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as conf_dir:
        spark = session(conf_dir)
        try:
            return run(spark, args.rows, args.rounds, args.pair_rounds, args.breakdown)
        finally:
            spark.stop()


def timed_write(spark: Any, make: Callable[[], Any]) -> float:
    """Seconds to write `make()`'s DataFrame to `noop`, after a full GC in the driver."""
    gc.collect()
    spark.sparkContext._jvm.java.lang.System.gc()
    start = time.perf_counter()
    make().write.format("noop").mode("overwrite").save()
    return time.perf_counter() - start


def run(spark: Any, rows: int, rounds: int, pair_rounds: int, breakdown: bool) -> int:
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    def ids(count: int) -> Any:
        return spark.range(count, numPartitions=4).select(
            F.concat(F.lit("user-"), F.col("id").cast("string")).alias("user_id")
        )

    check_outputs(variants(ids(2_000), breakdown), 2_000)
    df = ids(rows).persist(StorageLevel.MEMORY_ONLY)
    df.count()
    build = variants(df, breakdown)

    floor_name, ours_name = "identity mapInArrow (floor)", "sign_column"
    seconds: dict[str, list[float]] = {name: [] for name in build}
    for round_number in range(pair_rounds):
        pair = [floor_name, ours_name] if round_number % 2 == 0 else [ours_name, floor_name]
        for name in pair:
            seconds[name].append(timed_write(spark, build[name]))
    others = [name for name in build if name not in (floor_name, ours_name)]
    for _ in range(rounds):
        for name in others:
            seconds[name].append(timed_write(spark, build[name]))
    df.unpersist()

    floor, ours = seconds[floor_name], seconds[ours_name]
    stdlib = [name for name in build if "hmac.new" in name]
    vs_floor = statistics.median(o / f for o, f in zip(ours, floor))
    fastest_stdlib = min(statistics.median(seconds[name]) for name in stdlib)
    vs_stdlib = fastest_stdlib / statistics.median(ours)
    met = vs_floor <= TARGET_VS_FLOOR and vs_stdlib >= TARGET_VS_STDLIB

    print(f"Spark {spark.version} local[2], {rows:,} ids (cached), each variant forced with a noop write after "
          f"a full GC; floor and sign_column: medians of {pair_rounds} rounds, back to back; the rest: medians "
          f"of {rounds} rounds; Python UDFs Arrow-batched: "
          f"{spark.conf.get('spark.sql.execution.pythonUDF.arrow.enabled')}\n")
    print("| variant | rows/s (median) | seconds (median) |")
    print("|---|---:|---:|")
    for name, times in seconds.items():
        print(f"| {name} | {rows / statistics.median(times) / 1e6:.2f} M | {statistics.median(times):.2f} |")
    print(f"\nsign_column / floor time: {vs_floor:.2f}x (target <= {TARGET_VS_FLOOR:g}x); "
          f"vs the fastest stdlib variant: {vs_stdlib:.1f}x faster (target >= {TARGET_VS_STDLIB:g}x)")
    print("RESULT " + json.dumps({
        "kind": "spark", "spark": spark.version, "rows": rows, "rounds": rounds, "pair_rounds": pair_rounds,
        "variants": [{"name": name, "seconds": statistics.median(times),
                      "rows_per_second": rows / statistics.median(times)} for name, times in seconds.items()],
        "vs_floor": vs_floor, "vs_stdlib": vs_stdlib,
        "targets": {"vs_floor": TARGET_VS_FLOOR, "vs_stdlib": TARGET_VS_STDLIB}, "targets_met": met,
    }))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
