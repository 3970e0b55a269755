#!/usr/bin/env bash
# dist/: the CLI for glibc >= 2.17 as a tar.gz (binary, README, licences) and its SHA-256.
source "$(dirname "$0")/lib.sh"
name="refiner-identity-$VERSION-x86_64-unknown-linux-gnu"
cargo zigbuild --quiet --release --locked -p refiner-identity-cli --target "$GLIBC_TARGET"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$ROOT/target/x86_64-unknown-linux-gnu/release/refiner-identity" "$stage/$name/"
strip "$stage/$name/refiner-identity"
cp "$ROOT/README.md" "$ROOT/LICENSE-MIT" "$ROOT/LICENSE-APACHE" "$stage/$name/"
mkdir -p "$DIST"
# Same bytes for the same commit: fixed order, owner and times.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$(git -C "$ROOT" log -1 --format=%ct)" \
  -C "$stage" -cf - "$name" | gzip -n -9 > "$DIST/$name.tar.gz"
(cd "$DIST" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
