#!/usr/bin/env python3
"""make bench: runs the core, Python, Node and Ruby benchmarks in one
invocation (each asserts equal outputs before timing, and compares with its
language's standard HMAC in the same process), then prints one markdown table.
Exits non-zero if any benchmark missed a target."""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VENV_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
CORE_BENCH = ["cargo", "bench", "-q", "-p", "refiner-identity", "--bench", "sign"]
BENCHES = [
    ("Rust core", CORE_BENCH),
    # The path a CPU without the SHA extensions takes; reported, no target.
    ("Rust core, portable path", ["env", "REFINER_IDENTITY_FORCE_PORTABLE=1", *CORE_BENCH]),
    ("Python", [VENV_PYTHON, os.path.join(ROOT, "bindings-python", "bench", "bench.py")]),
    ("Node", ["node", os.path.join(ROOT, "bindings-node", "bench", "bench.js")]),
    ("Ruby", ["ruby", "-I", os.path.join(ROOT, "bindings-ruby", "lib"), os.path.join(ROOT, "bindings-ruby", "bench", "bench.rb")]),
    ("CLI links", [VENV_PYTHON, os.path.join(ROOT, "cli", "bench", "links_bench.py")]),
    ("Arrow, Polars, DuckDB", [VENV_PYTHON, os.path.join(ROOT, "bindings-python", "bench", "arrow_bench.py")]),
    ("Spark", [VENV_PYTHON, os.path.join(ROOT, "bindings-python", "bench", "spark_bench.py")]),
]


def version(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip().splitlines()[0]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "unknown"


def cpu_model() -> str:
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def speed(ratio: float) -> str:
    return f"{ratio:.1f}x faster" if ratio >= 1 else f"{1 / ratio:.1f}x slower"


def run(name: str, command: list[str]) -> tuple[dict | None, bool]:
    print(f"\n### {name}: {' '.join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c for c in command)}",
          flush=True)
    process = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    result = None
    for line in process.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
        elif not line.startswith(("Benchmarking", "Gnuplot", "Found", "  ")) and line.strip():
            print(line)
    if process.returncode != 0 or result is None:
        print(process.stderr[-3000:], file=sys.stderr)
    met = process.returncode == 0 and result is not None and result.get("targets_met", True)
    return result, met


def main() -> int:
    results = []
    all_met = True
    for name, command in BENCHES:
        result, met = run(name, command)
        all_met &= met
        if result:
            results.append(result)
    commit = version(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    print("\n## Combined table\n")
    print(f"{cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
          f"{version(['rustc', '--version'])}, Python {platform.python_version()}, Node {version(['node', '--version'])}, "
          f"{version(['ruby', '--version']).split(' [')[0]}; commit {commit}\n")
    print("| implementation | call | median ns per signature | vs the language's standard HMAC "
          "| 1,000,000 ids (batch) | standard HMAC, 1,000,000 ids |")
    print("|---|---|---:|---:|---:|---:|")
    for r in results:
        if r.get("kind") in ("cli_links", "arrow", "spark"):
            continue
        print(f"| {r['language']} | {r['stdlib']} | {r['stdlib_ns']:.0f} | 1.0x | | "
              f"{r['batch']['stdlib_seconds'] * 1e3:.0f} ms |")
        for row in r["rows"]:
            target = f" (target >= {row['target']:g}x)" if "target" in row else ""
            print(f"| {r['language']} | {row['call']} | {row['ns']:.0f} | {speed(row['ratio'])}{target} | | |")
        b = r["batch"]
        target = f" (target >= {b['target']:g}x)" if "target" in b else ""
        print(f"| {r['language']} | {b['call']} | {b['seconds'] * 1e9 / 1_000_000:.0f} | {speed(b['ratio'])}{target} "
              f"| {b['seconds'] * 1e3:.0f} ms | |")
        if "floor_ns" in r:
            floor_rows = ", ".join(f"{row['call']} {row['vs_floor']:.2f}x" + (
                f" (target <= {row['target_vs_floor']:g}x)" if row["target_vs_floor"] is not None else "")
                for row in r["rows"])
            print(f"| {r['language']} | floor: two SHA-256 compressions | {r['floor_ns']:.0f} | {floor_rows} | | |")
    for r in (r for r in results if r.get("kind") == "cli_links"):
        t = r["targets"]
        print(f"\n| CLI links, {r['rows']:,} CSV rows, 3 traits | wall (median) | peak RSS | Python stdlib script | ratio |")
        print("|---|---:|---:|---:|---:|")
        print(f"| refiner-identity links | {r['seconds']:.2f} s (target <= {t['seconds']:g} s) "
              f"| {r['peak_rss_bytes'] / 1e6:.0f} MB (target < {t['rss_mb']:g} MB) | {r['stdlib_seconds']:.1f} s "
              f"| {speed(r['ratio'])} (target >= {t['ratio']:g}x) |")
    for r in (r for r in results if r.get("kind") == "arrow"):
        t = r["targets"]
        print("\n| Arrow, 1,000,000 string ids | time | vs core Signer::sign_many | vs hmac.new loop | peak RSS above output |")
        print("|---|---:|---:|---:|---:|")
        print(f"| Signer.sign_arrow | {r['sign_arrow_seconds'] * 1e3:.0f} ms | {r['vs_core']:.2f}x its time "
              f"(target <= {t['vs_core']:g}x) | {r['vs_hmac']:.1f}x faster (target >= {t['vs_hmac']:g}x) "
              f"| {r['rss']['above_buffers_bytes'] / 1e6:.1f} MB (target < {t['rss_mb']:g} MB) |")
        for engine in ("polars", "duckdb"):
            e = r[engine]
            print(f"| {engine}, 10,000,000 ids | {e['rows_per_second'] / 1e6:.2f} M rows/s | | "
                  f"stdlib {e['stdlib_rows_per_second'] / 1e6:.2f} M rows/s | |")
    for r in (r for r in results if r.get("kind") == "spark"):
        t = r["targets"]
        print(f"\n| Spark {r['spark']} local[2], {r['rows']:,} ids, noop write | rows/s (median) |")
        print("|---|---:|")
        for v in r["variants"]:
            print(f"| {v['name']} | {v['rows_per_second'] / 1e6:.2f} M |")
        print(f"| sign_column: time vs floor, rows/s vs fastest stdlib | {r['vs_floor']:.2f}x (target <= "
              f"{t['vs_floor']:g}x), {r['vs_stdlib']:.1f}x (target >= {t['vs_stdlib']:g}x) |")
    print(f"\ntargets: {'all met' if all_met else 'MISSED (see the per-benchmark output above)'}")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
