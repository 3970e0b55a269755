"""The CLI's side of the channel conformance: `refiner-identity links --json-lines`
renders the survey link (SPEC.md sections 7 and 9.6) for every identity it can
express, one process per (secret, survey URL) pair in a batch.

The CLI reads one JSON object per contact: text and 64-bit integers only, no
response parameters and tags as one string. So each identity is first narrowed
to what the CLI takes (response parameters dropped, a tag list joined with
commas, ids beyond 64 bits skipped) and the expected link is the reference's
link for the narrowed identity; dates and timestamps travel as the text the
reference renders for them, which is the same bytes in a link."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CLI = os.path.join(ROOT, "target", "release", "refiner-identity")
INT64 = range(-(2**63), 2**63)


def _link_value(tagged: dict, render_value) -> object:
    if "int" in tagged:
        return int(tagged["int"])
    return render_value(tagged)


def narrowed(case: dict) -> dict | None:
    """The identity as the CLI can take it, or None (an id beyond 64 bits)."""
    if "int" in case["id"] and int(case["id"]["int"]) not in INT64:
        return None
    case = dict(case, response=[])
    if isinstance(case.get("tags"), list):
        case["tags"] = ",".join(case["tags"])
    return case


def contact(case: dict, render_value) -> dict:
    """A narrowed identity as one JSON Lines row."""
    if "int" in case["id"]:
        user_id = int(case["id"]["int"])
    else:
        user_id = case["id"]["text"]
    row: dict = {"id": user_id}
    for field in ("email", "name"):
        if case.get(field) is not None:
            row[field] = case[field]
    for field in ("locale", "tags"):
        if case.get(field):
            row[field] = case[field]
    for trait, tagged in case.get("traits", []):
        row[trait] = _link_value(tagged, render_value)
    return row


def survey_links(cases: list[dict], render_value) -> dict[int, str]:
    """Index in `cases` (narrowed identities, None to skip) -> the link the CLI wrote."""
    groups: dict[tuple[str, str], list[int]] = {}
    rows: dict[int, dict] = {}
    for index, case in enumerate(cases):
        if case is not None:
            rows[index] = contact(case, render_value)
            groups.setdefault((case["key"], case["url"]), []).append(index)
    links: dict[int, str] = {}
    with tempfile.TemporaryDirectory() as scratch:
        key_file = os.path.join(scratch, "key")
        for (key, url), indices in groups.items():
            with open(key_file, "wb") as f:
                f.write(key.encode())
            lines = "".join(json.dumps(rows[i], ensure_ascii=False) + "\n" for i in indices)
            done = subprocess.run([CLI, "links", "--json-lines", "--survey-url", url, "--secret-file", key_file],
                                  input=lines.encode(), capture_output=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"cli links failed (exit {done.returncode}): {done.stderr.decode(errors='replace')}")
            written = done.stdout.decode().split("\n")[:-1]
            if len(written) != len(indices):
                raise RuntimeError(f"cli links wrote {len(written)} rows for {len(indices)}")
            for index, line in zip(indices, written):
                links[index] = json.loads(line)["survey_link"]
    return links
