#!/usr/bin/env python3
"""One version for every package: the workspace Cargo.toml's, followed by the rest.

    versions.py check          fail, naming the file, when any version differs
    versions.py set X.Y.Z      write X.Y.Z everywhere (make version V=X.Y.Z)

The Python package takes its version from Cargo.toml (maturin), so it has no entry.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass(frozen=True)
class Place:
    path: str
    pattern: str  # group 1 is the version
    count: int  # how many times it must match (0: at least once)


SOURCE = Place("Cargo.toml", r'^\[workspace\.package\]\nversion = "([^"]+)"$', 1)
FOLLOWERS = (
    Place("Cargo.toml", r'^refiner-identity = \{ path = "core", version = "=([^"]+)" \}$', 1),
    Place("Cargo.lock", r'^name = "refiner-identity(?:-cli|-python|-node)?"\nversion = "([^"]+)"$', 4),
    Place("bindings-node/package.json", r'^  "version": "([^"]+)",$', 1),
    Place("bindings-node/package-lock.json", r'^  "version": "([^"]+)",$', 1),
    Place("bindings-node/package-lock.json", r'^    "": \{\n      "name": "refiner-identity",\n      "version": "([^"]+)",$', 1),
    # napi's generated loader compares the platform package's version with this one.
    Place("bindings-node/index.js", r"bindingPackageVersion !== '([^']+)'", 0),
    Place("bindings-node/index.js", r"expected ([^ ]+) but got", 0),
    Place("bindings-ruby/lib/refiner_identity/version.rb", r'^  VERSION = "([^"]+)"$', 1),
    Place("bindings-ruby/ext/refiner_identity/Cargo.toml", r'^version = "([^"]+)"$', 1),
    Place("bindings-ruby/ext/refiner_identity/Cargo.lock", r'^name = "refiner-identity(?:-ruby)?"\nversion = "([^"]+)"$', 2),
)
VERSION_SYNTAX = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?")


def read(root: str, place: Place) -> tuple[str, list[re.Match[str]]]:
    with open(os.path.join(root, place.path), encoding="utf-8") as f:
        text = f.read()
    matches = list(re.finditer(place.pattern, text, re.MULTILINE))
    if not matches or (place.count and len(matches) != place.count):
        want = place.count or "at least 1"
        raise SystemExit(f"{place.path}: {len(matches)} matches of {place.pattern!r}, expected {want}")
    return text, matches


def source_version(root: str) -> str:
    return read(root, SOURCE)[1][0].group(1)


def check(root: str) -> list[str]:
    """One line per place whose version is not the source's."""
    version = source_version(root)
    problems = []
    for place in FOLLOWERS:
        found = sorted({m.group(1) for m in read(root, place)[1]})
        if found != [version]:
            problems.append(f"{place.path}: {', '.join(found)} (Cargo.toml says {version})")
    return problems


def set_version(root: str, version: str) -> None:
    if not VERSION_SYNTAX.fullmatch(version):
        raise SystemExit(f"not a semantic version: {version!r}")
    for place in (SOURCE, *FOLLOWERS):
        text, matches = read(root, place)
        for m in reversed(matches):
            text = text[: m.start(1)] + version + text[m.end(1) :]
        with open(os.path.join(root, place.path), "w", encoding="utf-8") as f:
            f.write(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=ROOT, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check")
    set_parser = sub.add_parser("set")
    set_parser.add_argument("version")
    args = parser.parse_args()
    if args.command == "set":
        set_version(args.root, args.version)
    problems = check(args.root)
    if problems:
        sys.exit("versions differ from the workspace Cargo.toml:\n  " + "\n  ".join(problems))
    places = len({p.path for p in FOLLOWERS})
    print(f"versions: {source_version(args.root)} in Cargo.toml and the {places} files that follow it")


if __name__ == "__main__":
    main()
