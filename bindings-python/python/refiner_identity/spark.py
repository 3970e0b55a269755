"""Signing a Spark DataFrame column on the executors, Arrow batch by Arrow batch.

>>> from refiner_identity.spark import sign_column
>>> signed = sign_column(df, "user_id")  # doctest: +SKIP

The secret never travels with the job: the function Spark serializes holds only
names (of an environment variable and a column), and each executor's Python
process builds one :class:`~refiner_identity.Signer` from its own environment
the first time it signs (set ``spark.executorEnv.REFINER_SECRET_KEY``, or the
variable from a secret scope). pyspark is imported only when :func:`sign_column` is called; it
is not a dependency of this package.
"""

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ._native import DEFAULT_SECRET_ENV, InvalidSecretError, InvalidUserIdError, Signer

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["DEFAULT_SECRET_ENV", "sign_column"]

DEFAULT_OUTPUT_COLUMN = "refiner_signature"

# One Signer per executor Python process and variable name; Spark reuses its
# Python workers across tasks, so the key is validated and expanded once.
_SIGNERS: dict[str, Signer] = {}


def sign_column(
    df: "DataFrame",
    column: str,
    *,
    secret_env: str = DEFAULT_SECRET_ENV,
    output_col: str = DEFAULT_OUTPUT_COLUMN,
) -> "DataFrame":
    """``df`` with ``output_col`` holding the signature of each id of ``column``.

    ``column`` is a string, binary or integer column; a null id gives a null
    signature. ``output_col`` is added, or replaced like ``withColumn`` does.
    The secret is read on each executor from environment variable
    ``secret_env``; when it is missing there, the job fails with
    :class:`~refiner_identity.InvalidSecretError` naming the variable.
    """
    _check_name("column", column)
    _check_name("output_col", output_col)
    _check_name("secret_env", secret_env)
    if "=" in secret_env:
        raise ValueError("secret_env: an environment variable name cannot contain '='")
    from pyspark.sql import functions

    field = _field(df, column)
    quoted = functions.col("`" + column.replace("`", "``") + "`")
    arrow_udf = getattr(functions, "arrow_udf", None)
    if arrow_udf is None:
        # Spark before 4.1 has no Arrow UDFs: mapInArrow, which carries every column through Python.
        return _sign_with_map_in_arrow(df, field.name, secret_env, output_col)
    return df.withColumn(output_col, arrow_udf(_signing_function(secret_env, column), "string")(quoted))


def _check_name(argument: str, value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, not {type(value).__name__}")
    if not value or "\0" in value:
        raise ValueError(f"{argument} must be a non-empty name without NUL characters")


def _field(df: "DataFrame", column: str) -> Any:
    from pyspark.sql import types

    matches = [field for field in df.schema.fields if field.name == column]
    if not matches:
        raise ValueError(f"column {column!r} is not in the DataFrame (columns: {', '.join(df.columns)})")
    if len(matches) > 1:
        raise ValueError(f"column {column!r} is ambiguous: the DataFrame has {len(matches)} columns of that name")
    field = matches[0]
    signable = (types.StringType, types.BinaryType, types.ByteType, types.ShortType, types.IntegerType, types.LongType)
    if not isinstance(field.dataType, signable):
        raise TypeError(
            f"column {column!r} is {field.dataType.simpleString()}; sign_column takes string, binary or "
            "integer ids (cast it first if its text form is the id Refiner sees)"
        )
    return field


def _signer(secret_env: str) -> Signer:
    signer = _SIGNERS.get(secret_env)
    if signer is None:
        try:
            signer = Signer.from_env(secret_env)
        except InvalidSecretError as error:
            raise InvalidSecretError(
                f"{error} in this Spark executor's environment (set spark.executorEnv.{secret_env} "
                "or the variable from your secret scope)"
            ) from None
        signer = _SIGNERS.setdefault(secret_env, signer)
    return signer


def _sign_batch(signer: Signer, ids: Any, column: str) -> Any:
    try:
        return signer.sign_arrow(ids)
    except InvalidUserIdError as error:
        # sign_arrow counts rows within the batch Spark handed over, which the user never sees.
        raise InvalidUserIdError(
            f"column {column!r}: {error} (the index counts rows of one Arrow batch, not of the DataFrame)"
        ) from None


def _signing_function(secret_env: str, column: str) -> Any:
    pa: Any = importlib.import_module("pyarrow")

    def sign_ids(ids: Any) -> Any:
        return pa.array(_sign_batch(_signer(secret_env), ids, column))

    # Spark reads the UDF kind (array to array) from these; the closure holds
    # names only, never a Signer or the secret.
    sign_ids.__annotations__ = {"ids": pa.Array, "return": pa.Array}
    return sign_ids


def _sign_with_map_in_arrow(df: "DataFrame", column: str, secret_env: str, output_col: str) -> "DataFrame":
    from pyspark.sql import types

    fields = list(df.schema.fields)
    source = [field.name for field in fields].index(column)
    output = types.StructField(output_col, types.StringType(), True)
    # Like withColumn: an existing column of that name is replaced in place, else one is appended.
    replaced = [index for index, field in enumerate(fields) if field.name == output_col]
    target = replaced[0] if replaced else len(fields)
    schema = types.StructType([*fields[:target], output, *fields[target + 1 :]])
    names = schema.names

    def sign_batches(batches: Iterator[Any]) -> Iterator[Any]:
        pa: Any = importlib.import_module("pyarrow")
        signer = _signer(secret_env)
        for batch in batches:
            columns = batch.columns[:target] + [pa.array(_sign_batch(signer, batch.column(source), column))]
            yield pa.RecordBatch.from_arrays(columns + batch.columns[target + 1 :], names=names)

    return df.mapInArrow(sign_batches, schema)
