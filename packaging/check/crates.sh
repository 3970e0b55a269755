#!/usr/bin/env bash
# Both crates publish (dry run: packaged, then built from the packages, the CLI
# against the packaged core), and the core's tests pass from its package alone.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
# Multi-package publish verifies the CLI against the core packaged in the same
# run, so the unpublished core need not be on crates.io.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo publish --dry-run --allow-dirty -p refiner-identity -p refiner-identity-cli >"$log" 2>&1 \
  || { cat "$log"; fail "cargo publish --dry-run fails"; }
echo "dist-check: cargo publish --dry-run passes for refiner-identity and refiner-identity-cli"

cargo package --quiet --no-verify --allow-dirty -p refiner-identity 2>/dev/null
# Outside the workspace (else cargo takes it for a member), at a fixed path so
# that the shared target directory reuses its dependencies; -m: fresh mtimes,
# or cargo could take changed sources for up to date.
unpacked="${TMPDIR:-/tmp}/refiner-identity-packaged-core"
rm -rf "$unpacked" && mkdir -p "$unpacked"
tar -xzmf "$ROOT/target/package/refiner-identity-$VERSION.crate" -C "$unpacked"
cargo test --quiet --locked --manifest-path "$unpacked/refiner-identity-$VERSION/Cargo.toml" \
  --target-dir "$ROOT/target" >"$unpacked/test.log" 2>&1 || { cat "$unpacked/test.log"; fail "the packaged core's tests fail"; }
passed=$(grep -o '[0-9]* passed' "$unpacked/test.log" | awk '{ n += $1 } END { print n }')
echo "dist-check: the packaged refiner-identity-$VERSION.crate passes its own tests ($passed) with nothing from the repository"
