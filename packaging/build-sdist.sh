#!/usr/bin/env bash
# dist/: the Python sdist (the binding crate, the core it depends on, the build backend).
source "$(dirname "$0")/lib.sh"
mkdir -p "$DIST"
maturin sdist --manifest-path "$ROOT/bindings-python/Cargo.toml" --out "$DIST" >/dev/null
test -f "$DIST/refiner_identity-$VERSION.tar.gz"
