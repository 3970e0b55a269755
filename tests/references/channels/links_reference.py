"""Reference for `refiner-identity links` (CSV), from Python's standard library
only: csv + hmac + urllib.parse.quote(safe='-._~'). Reads the input CSV,
renders each row's signature and survey link (SPEC.md sections 7 and 9.6) and
writes the same CSV the CLI writes; prints one JSON line: the SHA-256 of that
output, its row count and the rows asked for with --spot (0-based data rows).

    REFINER_SECRET_KEY=... links_reference.py --survey-url URL INPUT [--output FILE] [--spot 0,5]
"""
import argparse
import csv
import functools
import hashlib
import hmac
import json
import os
import sys
from urllib.parse import quote

KNOWN = ("id", "email", "name", "locale", "tags")


@functools.lru_cache(maxsize=1 << 16)
def q(text):
    """Percent-encoding (cached: the same value recurs across rows)."""
    return quote(text, safe="-._~")


def base_prefix(url):
    """The base URL up to its fragment, ready for the next parameter; and the fragment."""
    base, hash_mark, fragment = url.partition("#")
    if "?" not in base:
        base += "?"
    elif not base.endswith(("?", "&")):
        base += "&"
    return base, hash_mark + fragment


def parameter_order(header):
    """(column position, parameter name) in link order: contact_email,
    contact_name, contact_<trait> per trait column, locale, tags."""
    position = {name: i for i, name in enumerate(header)}
    order = [(position[f], f"contact_{f}") for f in ("email", "name") if f in position]
    order += [(i, f"contact_{name}") for i, name in enumerate(header) if name not in KNOWN]
    order += [(position[f], f) for f in ("locale", "tags") if f in position]
    return position["id"], [(i, q(name) + "=") for i, name in order]


def link(prefix, fragment, keyed, id_column, order, row):
    user_id = row[id_column]
    mac = keyed.copy()
    mac.update(user_id.encode())
    signature = mac.hexdigest()
    # The signature is lowercase hex, which percent-encoding leaves as is.
    params = [f"contact_id={q(user_id)}", f"signature={signature}"]
    params += [name + q(row[i]) for i, name in order if row[i]]
    return signature, prefix + "&".join(params) + fragment


class RecordsEndWithNewline:
    """The csv crate quotes any field holding \\r or \\n and ends records with
    \\n; Python quotes only the characters of its line terminator. So the
    writer quotes as for \\r\\n, and each record (one write per row) gets \\n."""

    def __init__(self, sink):
        self.sink = sink

    def write(self, record):
        assert record.endswith("\r\n")
        self.sink(record[:-2] + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--survey-url", required=True)
    parser.add_argument("--output")
    parser.add_argument("--spot", default="")
    parser.add_argument("input")
    args = parser.parse_args()
    # HMAC keyed once, copied per row (the key's pads are hashed only once).
    keyed = hmac.new(os.environb[b"REFINER_SECRET_KEY"], digestmod=hashlib.sha256)
    spots = {int(i) for i in args.spot.split(",") if i}
    prefix, fragment = base_prefix(args.survey_url)
    digest = hashlib.sha256()
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else None

    def sink(text):
        data = text.encode()
        digest.update(data)
        if out:
            out.write(text)

    writer = csv.writer(RecordsEndWithNewline(sink), quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    found = {}
    count = 0
    with open(args.input, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        id_column, order = parameter_order(header)
        writer.writerow(header + ["signature", "survey_link"])
        for row in reader:
            if not row:
                continue
            signature, url = link(prefix, fragment, keyed, id_column, order, row)
            row.append(signature)
            row.append(url)
            writer.writerow(row)
            if count in spots:
                found[str(count)] = row
            count += 1
    if out:
        out.close()
    print(json.dumps({"sha256": digest.hexdigest(), "rows": count, "spot": found}))


if __name__ == "__main__":
    sys.exit(main())
