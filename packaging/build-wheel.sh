#!/usr/bin/env bash
# dist/: the manylinux_2_17 abi3 wheel (zig links against glibc 2.17's symbols).
source "$(dirname "$0")/lib.sh"
mkdir -p "$DIST"
maturin build --quiet --release --strip --zig --compatibility manylinux2014 \
  --manifest-path "$ROOT/bindings-python/Cargo.toml" --out "$DIST"
