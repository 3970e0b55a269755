"""survey_link reuses the thread's last parsed survey URL: every call must still
render the URL it was given, including URLs that differ only in their query or
fragment, a bad URL between good ones, and a call made from inside another
(a tzinfo's utcoffset renders a link for another survey while a trait is read)."""
from __future__ import annotations

import datetime as dt
import threading

import channels_reference as ref
import pytest
import refiner_identity as ri
from conftest import SECRET

SIGNER = ri.Signer(SECRET)
URLS = [
    "https://refiner.example/s/a?src=mail",
    "https://refiner.example/s/a?src=mail#top",
    "https://refiner.example/s/a?src=mai",
    "https://refiner.example/s/a",
    "https://refiner.example/s/a?",
    "HTTP://refiner.example:8080/s/a?plan_x=1&",
]


def test_each_call_renders_its_own_url() -> None:
    for url in URLS + URLS[::-1] + [URLS[0]] * 3:
        traits = {"plan": "pro", "seats": 5}
        assert SIGNER.survey_link(url, "u-1", traits=traits) == ref.survey_link(SECRET, url, "u-1", traits=traits)


def test_a_bad_url_between_good_ones() -> None:
    good = URLS[0]
    assert SIGNER.survey_link(good, "u-1") == ref.survey_link(SECRET, good, "u-1")
    with pytest.raises(ri.InvalidOptionError, match="contact_plan"):
        SIGNER.survey_link("https://refiner.example/s/a?contact_plan=x", "u-1", traits={"plan": "pro"})
    with pytest.raises(ri.InvalidOptionError):
        SIGNER.survey_link("ftp://refiner.example/s/a", "u-1")
    assert SIGNER.survey_link(good, "u-1") == ref.survey_link(SECRET, good, "u-1")
    # The same base, now holding a parameter this link adds: refused, not served from the last parse.
    with pytest.raises(ri.InvalidOptionError, match="contact_plan"):
        SIGNER.survey_link(good + "&contact_plan=x", "u-1", traits={"plan": "pro"})


def test_a_link_rendered_while_another_is_read() -> None:
    inner_links: list[str] = []

    class Renders(dt.tzinfo):
        def utcoffset(self, _when: dt.datetime | None) -> dt.timedelta:
            inner_links.append(SIGNER.survey_link(URLS[3], "inner"))
            return dt.timedelta(0)

    when = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=Renders())
    outer = SIGNER.survey_link(URLS[1], "outer", traits={"at": when})
    assert outer == ref.survey_link(SECRET, URLS[1], "outer", traits={"at": "2024-01-02T03:04:05Z"})
    assert inner_links == [ref.survey_link(SECRET, URLS[3], "inner")]
    assert SIGNER.survey_link(URLS[1], "outer") == ref.survey_link(SECRET, URLS[1], "outer")


def test_threads_alternating_urls() -> None:
    failures: list[str] = []

    def render(offset: int) -> None:
        for round_number in range(300):
            url = URLS[(round_number + offset) % len(URLS)]
            got = SIGNER.survey_link(url, f"u-{offset}")
            if got != ref.survey_link(SECRET, url, f"u-{offset}"):
                failures.append(got)

    threads = [threading.Thread(target=render, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
