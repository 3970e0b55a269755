"""survey_links: order kept, batches large enough for the parallel engine equal
to survey_link one by one and to the reference, the first bad index named."""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import channels_reference as ref
import pytest
import refiner_identity as ri
from conftest import SECRET

SIGNER = ri.Signer(SECRET)
URL = "https://refiner.example/s/abc?ref=batch#top"


def identity(index: int) -> dict[str, Any]:
    """A varied identity: every key, every trait type, hostile text, some left out."""
    item: dict[str, Any] = {"id": f"user-{index}-é" if index % 3 else index * 7919 - 10**6}
    if index % 2:
        item["email"] = f"u{index}@example.com"
    if index % 5 == 1:
        item["name"] = f"</script> {index} \u2028 😀"
    item["traits"] = {"plan": ["free", "pro", None][index % 3], "seats": index % 1000,
                      "since": dt.date(2000 + index % 30, 1 + index % 12, 1 + index % 28),
                      "seen": dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=index * 37)}
    if index % 4 == 0:
        item["locale"] = ["de", "fr-CH", ""][index % 3]
    if index % 7 == 0:
        item["tags"] = ["a", f"t{index}", "x y"] if index % 2 else f"t{index}"
    if index % 11 == 0:
        item["response"] = {"source": "mail & more", "n": index}
    return item


def reference_link(item: dict[str, Any]) -> str:
    rest = {key: value for key, value in item.items() if key != "id"}
    return ref.survey_link(SECRET, URL, item["id"], **rest)


@pytest.mark.parametrize("count", [0, 1, 17, 4096, 20_000])
def test_equals_single_links_and_reference(count: int) -> None:
    items = [identity(index) for index in range(count)]
    links = SIGNER.survey_links(URL, items)
    assert links == [reference_link(item) for item in items]
    step = max(1, count // 300)
    for index in range(0, count, step):
        item = items[index]
        rest = {key: value for key, value in item.items() if key != "id"}
        assert links[index] == SIGNER.survey_link(URL, item["id"], **rest)


def test_accepts_any_iterable() -> None:
    items = [identity(index) for index in range(10)]
    expected = SIGNER.survey_links(URL, items)
    assert SIGNER.survey_links(URL, tuple(items)) == expected
    assert SIGNER.survey_links(URL, (item for item in items)) == expected


@pytest.mark.parametrize("count", [10, 20_000])
def test_first_bad_index_is_named(count: int) -> None:
    items = [identity(index) for index in range(count)]
    last = count - 1
    items[last] = {"id": "x", "traits": {"bad name": 1}}
    with pytest.raises(ri.InvalidTraitError, match=f"at index {last}: invalid trait \"bad name\""):
        SIGNER.survey_links(URL, items)
    items[count // 2] = {"id": ""}
    with pytest.raises(ri.InvalidUserIdError, match=f"index {count // 2}"):
        SIGNER.survey_links(URL, items)


# Pairs of bad items: whichever step finds a problem, the lowest index is named.
CORE_RULE = {"id": "x", "traits": {"email": "reserved"}}  # checked by the core
CONVERSION = {"id": "x", "traits": {"f": 1.5}}  # found while reading Python values
STRUCTURE = {"id": "x", "unknown": 1}  # found while reading the dict's keys


@pytest.mark.parametrize(("first", "second"), [
    (CORE_RULE, CONVERSION), (CONVERSION, CORE_RULE), (CORE_RULE, STRUCTURE), (STRUCTURE, CORE_RULE),
    (CONVERSION, STRUCTURE), (STRUCTURE, CONVERSION), ({"id": ""}, STRUCTURE), ({"id": "x", "tags": ["a,b"]}, 5),
])
def test_lowest_bad_index_wins(first: dict[str, Any], second: Any) -> None:
    items: list[Any] = [identity(index) for index in range(6000)]
    items[4500], items[5500] = first, second
    with pytest.raises((ri.RefinerIdentityError, TypeError), match=r"index 4500\b|identities\[4500\]"):
        SIGNER.survey_links(URL, items)


@pytest.mark.parametrize(("item", "match"), [
    ("just an id", r"identities\[1\]: each identity must be a dict, not str"),
    ({"email": "e@x"}, r"identities\[1\]: the key \"id\" is required"),
    ({"id": "x", "Email": "e@x"}, r"identities\[1\]: unknown key \"Email\"; the keys are id, email"),
    ({"id": "x", 3: "e@x"}, r"identities\[1\]: identity keys must be str, not int"),
    ({"id": None}, r"identities\[1\]\[\"id\"\]: user id must be"),
])
def test_structure_errors(item: Any, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        SIGNER.survey_links(URL, [{"id": "ok"}, item])


def test_not_iterable() -> None:
    with pytest.raises(TypeError):
        SIGNER.survey_links(URL, 42)


def test_shared_signer_across_threads() -> None:
    items = [identity(index) for index in range(5000)]
    expected = [reference_link(item) for item in items]
    results: dict[int, bool] = {}

    def work(worker: int) -> None:
        if worker % 2:
            results[worker] = SIGNER.survey_links(URL, items) == expected
        else:
            results[worker] = all(SIGNER.survey_links(URL, [item]) == [link]
                                  for item, link in zip(items[:500], expected))

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {worker: True for worker in range(4)}


def test_a_generator_refilling_one_dict_and_bytearray_gets_each_identity() -> None:
    values = [b"alice", b"bob", b"carol"]

    def identities() -> Iterator[dict[str, Any]]:
        item: dict[str, Any] = {}
        buffer, traits = bytearray(), {}
        for value in values:
            buffer[:] = value
            traits["n"] = len(value)
            item.update(id=buffer, traits=traits, tags=[value.decode()])
            yield item

    expected = [ref.survey_link(SECRET, URL, value, traits={"n": len(value)}, tags=[value.decode()])
                for value in values]
    assert SIGNER.survey_links(URL, identities()) == expected


@pytest.mark.parametrize("identities", ["user_42", b"ab", bytearray(b"ab"), memoryview(b"ab"), {"id": "u"}],
                         ids=["str", "bytes", "bytearray", "memoryview", "dict"])
def test_one_identity_instead_of_a_list_is_a_type_error(identities: object) -> None:
    with pytest.raises(TypeError, match=r"^identities must be a list \(or another iterable\) of dicts, one per "
                                        r"identity, not \w+; for one identity, use survey_link"):
        SIGNER.survey_links(URL, identities)
