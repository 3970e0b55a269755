#!/usr/bin/env python3
"""README.md says only what is true: every block marked
`<!-- output of: COMMAND -->` must equal what COMMAND prints now (run with
bash from the repository root). Fails when it finds no such block."""
from __future__ import annotations

import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"<!-- output of: (?P<command>.+?) -->\n```[a-z]*\n(?P<output>.*?)```\n", re.S)


def main() -> int:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(readme))
    if not blocks:
        print("readme-check: no `<!-- output of: ... -->` block found in README.md", file=sys.stderr)
        return 1
    failed = 0
    for block in blocks:
        command = block["command"]
        done = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            failed += 1
            print(f"readme-check: `{command}` exited {done.returncode}:\n{done.stderr}", file=sys.stderr)
        elif done.stdout != block["output"]:
            failed += 1
            print(f"readme-check: README.md shows other output than `{command}` prints now:", file=sys.stderr)
            for want, got in zip(block["output"].splitlines(), done.stdout.splitlines()):
                if want != got:
                    print(f"  README: {want}\n  now:    {got}", file=sys.stderr)
                    break
    print(f"readme-check: {len(blocks) - failed} of {len(blocks)} README output blocks match a fresh run")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
