#!/usr/bin/env python3
"""CLI `links` on 1,000,000 CSV rows with 3 traits, against the Python
standard-library script doing the same (tests/references/channels/
links_reference.py: csv + hmac + urllib.parse) in the same run. Equal outputs
are asserted first; then the CLI's wall time (median of 5 runs) and peak RSS
(each run's own, from wait4) are measured. Prints a RESULT line for
tests/bench/run_all.py; exits 1 if a target is missed.

Targets: <= 1.5 s wall, < 64 MB peak RSS, >= 10x the stdlib script."""
import csv
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.path.join(ROOT, "target", "release", "refiner-identity")
REFERENCE = os.path.join(ROOT, "tests", "references", "channels", "links_reference.py")
ROWS = 1_000_000
RUNS = 5
URL = "https://refiner.example/s/onboarding?utm_source=mail#top"
SECRET = "bench-secret-key-0123456789"
TARGET_SECONDS = 1.5
TARGET_RSS_MB = 64
TARGET_RATIO = 10


def write_input(path):
    rng = random.Random(20240229)
    plans = ["free", "pro", "team, annual", "enterprise \"gold\"", "</script>", "caf\u00e9 \U0001f680"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["id", "email", "name", "locale", "tags", "plan", "seats", "signup"])
        for i in range(ROWS):
            writer.writerow([
                f"user-{i}" if i % 3 else str(10_000_000 + i),
                f"person{i}@example.com" if i % 4 else "",
                rng.choice(["Ada Lovelace", "Grace \"Amazing\" Hopper", "Line\nBreak", "", "Zo\u00eb \u2028 Smith"]),
                rng.choice(["", "en", "de-CH"]),
                rng.choice(["", "beta", "beta,vip"]),
                rng.choice(plans),
                str(rng.randrange(1, 5000)),
                f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            ])


def run_cli(input_path, output_path):
    """Wall seconds and peak RSS (bytes) of one CLI run."""
    env = dict(os.environ, REFINER_SECRET_KEY=SECRET)
    start = time.perf_counter()
    child = subprocess.Popen([CLI, "links", "--survey-url", URL, "--input", input_path, "--output", output_path],
                             env=env, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    stderr = child.stderr.read().decode(errors="replace")
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"CLI failed ({child.returncode}): {stderr}")
    return seconds, usage.ru_maxrss * 1024


def run_reference(input_path):
    env = dict(os.environ, REFINER_SECRET_KEY=SECRET)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, REFERENCE, "--survey-url", URL, input_path],
                         env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, json.loads(out.stdout)


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main():
    with tempfile.TemporaryDirectory(prefix="links-bench-") as tmp:
        input_path = os.path.join(tmp, "rows.csv")
        output_path = os.path.join(tmp, "links.csv")
        write_input(input_path)
        reference_seconds, reference = run_reference(input_path)
        run_cli(input_path, output_path)
        if sha256_file(output_path) != reference["sha256"] or reference["rows"] != ROWS:
            sys.exit("CLI output differs from the stdlib reference")
        runs = [run_cli(input_path, output_path) for _ in range(RUNS)]
        input_mb = os.path.getsize(input_path) / 1e6
        output_mb = os.path.getsize(output_path) / 1e6
    seconds = statistics.median(s for s, _ in runs)
    peak = max(rss for _, rss in runs)
    ratio = reference_seconds / seconds
    met = seconds <= TARGET_SECONDS and peak < TARGET_RSS_MB * 1e6 and ratio >= TARGET_RATIO
    print(f"CLI links, {ROWS:,} rows x 3 traits ({input_mb:.0f} MB in, {output_mb:.0f} MB out): "
          f"median {seconds:.2f} s of {RUNS} (min {min(s for s, _ in runs):.2f} s, target <= {TARGET_SECONDS} s), "
          f"peak RSS {peak / 1e6:.1f} MB (target < {TARGET_RSS_MB} MB)")
    print(f"Python stdlib (csv + hmac + urllib.parse): {reference_seconds:.2f} s; "
          f"CLI {ratio:.1f}x faster (target >= {TARGET_RATIO}x)")
    print("RESULT " + json.dumps({
        "kind": "cli_links", "rows": ROWS, "seconds": seconds, "peak_rss_bytes": peak,
        "stdlib_seconds": reference_seconds, "ratio": ratio, "targets_met": met,
        "targets": {"seconds": TARGET_SECONDS, "rss_mb": TARGET_RSS_MB, "ratio": TARGET_RATIO},
    }))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
