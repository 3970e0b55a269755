#!/usr/bin/env bash
# The wheel and the sdist from dist/, installed as a user would, on a PATH with no Rust.
source "$(dirname "$0")/../lib.sh"
wheel=$(ls "$DIST"/refiner_identity-"$VERSION"-cp310-abi3-*manylinux_2_17_x86_64*.whl)
sdist="$DIST/refiner_identity-$VERSION.tar.gz"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

twine check --strict "$wheel" "$sdist" >/dev/null || twine check --strict "$wheel" "$sdist"
auditwheel show "$wheel" | tr -s ' \n' ' ' | grep -q 'consistent with the following platform tag: "manylinux_2_17_x86_64"' \
  || fail "auditwheel does not call $(basename "$wheel") manylinux_2_17: $(auditwheel show "$wheel")"

python3 - "$wheel" "$sdist" "$tmp/wheel" <<'PY'
import sys, tarfile, zipfile
wheel, sdist, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    names = z.namelist()
    metadata = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    z.extractall(out)
for licence in ("LICENSE-MIT", "LICENSE-APACHE"):
    assert any(n.endswith(f".dist-info/licenses/{licence}") for n in names), f"wheel lacks {licence}"
for module in ("refiner_identity/django/apps.py", "refiner_identity/django/templatetags/refiner.py"):
    assert module in names, f"wheel lacks {module} (the Django app)"
assert "License-Expression: MIT OR Apache-2.0" in metadata, "wheel METADATA has no SPDX License-Expression"
assert "# refiner-identity (Python)" in metadata, "wheel METADATA has no README description"
with tarfile.open(sdist) as t:
    members = {m.name.split("/", 1)[1] for m in t.getmembers() if "/" in m.name}
for needed in ("LICENSE-MIT", "LICENSE-APACHE", "README.md", "pyproject.toml",
               "build_backend/refiner_identity_build.py", "core/src/lib.rs"):
    assert needed in members, f"sdist lacks {needed}"
PY
floor=$(assert_elfs_glibc_217 "$tmp/wheel")

clean_path=$(no_rust_path)
python3 -m venv "$tmp/venv"
PATH="$clean_path" bash -c '! command -v cargo && ! command -v rustc' >/dev/null || fail "could not hide cargo"
start=$(date +%s.%N)
PATH="$clean_path" "$tmp/venv/bin/pip" install -q --disable-pip-version-check --no-index --no-deps "$wheel"
took=$(seconds_since "$start")
(cd "$tmp" && PATH="$clean_path" "$tmp/venv/bin/python" - "$tmp/venv" <<'PY'
import hashlib, hmac, sys
import refiner_identity as ri
assert ri.__file__.startswith(sys.argv[1]), ri.__file__
expected = hmac.new(b"dist-key", "José 42".encode(), hashlib.sha256).hexdigest()
assert ri.sign("dist-key", "José 42") == expected == ri.Signer("dist-key").sign_many(["José 42"])[0]
PY
)
report "$wheel" "$floor" "$took"

# The sdist on a machine without Rust: a message naming what to do, not a toolchain download.
python3 -m venv "$tmp/sdist-venv"
"$tmp/sdist-venv/bin/pip" install -q --disable-pip-version-check "maturin>=1.9,<2"
if PATH="$clean_path" "$tmp/sdist-venv/bin/pip" install --disable-pip-version-check --no-index \
    --no-build-isolation "$sdist" >"$tmp/sdist.log" 2>&1; then
  fail "the sdist installed without Rust?"
fi
for says in "needs Rust >= 1.88" "cargo was not found on PATH" "https://rustup.rs" "pip install --only-binary refiner-identity"; do
  grep -qF "$says" "$tmp/sdist.log" || { cat "$tmp/sdist.log"; fail "sdist without Rust does not say: $says"; }
done
# Built from source with Rust: bindings-python/scripts/check-sdist.sh (make test-python).
echo "dist-check: $(basename "$sdist") without Rust says to install Rust >= 1.88 or take the wheel"
