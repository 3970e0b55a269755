"""README.md's Django section shows the test project as the tests run it: each
of its Python and template blocks is, verbatim, part of a file of
django_project/ (settings.py, urls.py, templates/page.html)."""
from __future__ import annotations

import pathlib
import re

HERE = pathlib.Path(__file__).resolve().parent
README = HERE.parents[1] / "README.md"
SITE = HERE / "django_project" / "testsite"
HEADING = "### Django: `refiner_identity.django`"


def django_section() -> str:
    text = README.read_text(encoding="utf-8")
    assert HEADING in text, f"README.md has no {HEADING!r} section"
    section = text.split(HEADING, 1)[1]
    return section.split("\n## ", 1)[0]


def test_every_code_block_is_part_of_the_test_project() -> None:
    blocks = re.findall(r"```(?:python|django|html)\n(.*?)```\n", django_section(), re.S)
    files = {path.relative_to(SITE).as_posix(): path.read_text(encoding="utf-8")
             for path in (SITE / "settings.py", SITE / "urls.py", SITE / "templates" / "page.html")}
    shown = {name for block in blocks for name, text in files.items() if block in text}
    assert len(blocks) == 3
    assert shown == set(files), f"README blocks not found verbatim in the test project: {set(files) - shown}"
