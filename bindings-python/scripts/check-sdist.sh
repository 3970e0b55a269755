#!/usr/bin/env bash
# Builds the sdist (which must carry the core crate along), installs it into a
# fresh virtualenv and smoke-tests it against the standard library's hmac.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv_bin="$root/.venv/bin"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$venv_bin/maturin" sdist --manifest-path "$root/bindings-python/Cargo.toml" --out "$tmp/dist" >/dev/null
sdist=$(ls "$tmp"/dist/*.tar.gz)
tar -tzf "$sdist" > "$tmp/contents"
grep -q '/core/src/lib.rs$' "$tmp/contents" || { echo "sdist does not carry core/"; exit 1; }

python3 -m venv "$tmp/venv"
# Offline-friendly: the build backend comes from the project's own venv wheel
# cache or the registry, then the build runs without isolation.
"$tmp/venv/bin/pip" install -q --disable-pip-version-check "maturin>=1.9,<2"
# Reuse compiled dependencies between local runs (CI starts clean anyway), but
# never our own crates: the sdist's files carry older mtimes than that build
# output, so cargo would take a stale core for up to date.
find "$root/target/sdist-check" -path '*/.fingerprint/refiner-identity*' -prune -exec rm -rf {} + 2>/dev/null || true
PATH="$tmp/venv/bin:$PATH" CARGO_TARGET_DIR="$root/target/sdist-check" \
  "$tmp/venv/bin/pip" install -q --disable-pip-version-check --no-build-isolation "$sdist"

cd "$tmp"
"$tmp/venv/bin/python" - <<'PY'
import hashlib, hmac
import refiner_identity as ri
expected = hmac.new(b"smoke-key", "José 42".encode(), hashlib.sha256).hexdigest()
assert ri.sign("smoke-key", "José 42") == expected == ri.Signer(b"smoke-key").sign_many(["José 42"])[0]
print(f"sdist {ri.__version__}: installed into a fresh venv and signs like hmac")
PY
