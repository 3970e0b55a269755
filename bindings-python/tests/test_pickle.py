"""A Signer refuses to be pickled (that would copy key material into Spark plans,
caches and logs) and says what to do instead; copying returns the same object."""
from __future__ import annotations

import copy
import io
import pickle

import pytest
from conftest import SECRET, reference

from refiner_identity import Signer

REFUSAL = "key material"
POINTER = "refiner_identity.spark.sign_column"


def assert_refusal(error: BaseException) -> None:
    message = str(error)
    assert REFUSAL in message and POINTER in message, message
    assert SECRET not in message and SECRET not in repr(error)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_is_refused_with_the_reason_at_every_protocol(protocol: int) -> None:
    with pytest.raises(TypeError) as error:
        pickle.dumps(Signer(SECRET), protocol=protocol)
    assert_refusal(error.value)


def test_nested_pickle_and_the_reduce_hooks_are_refused() -> None:
    signer = Signer(SECRET, previous=["an-older-secret-key"])
    with pytest.raises(TypeError) as error:
        pickle.Pickler(io.BytesIO()).dump({"nested": [signer]})
    assert_refusal(error.value)
    for hook in (signer.__reduce__, lambda: signer.__reduce_ex__(2), signer.__getstate__):
        with pytest.raises(TypeError) as error:
            hook()
        assert_refusal(error.value)


def test_cloudpickle_as_spark_uses_it_is_refused() -> None:
    cloudpickle = pytest.importorskip("pyspark.cloudpickle")
    signer = Signer(SECRET)
    with pytest.raises(TypeError) as error:
        cloudpickle.dumps(lambda user_id: signer.sign(user_id))
    assert_refusal(error.value)


def test_copy_and_deepcopy_return_the_same_immutable_signer() -> None:
    signer = Signer(SECRET)
    assert copy.copy(signer) is signer
    assert copy.deepcopy(signer) is signer
    holder = copy.deepcopy({"signer": signer, "ids": ["alice"]})
    assert holder["signer"] is signer
    assert holder["signer"].sign("alice") == reference(SECRET.encode(), b"alice")
