#!/usr/bin/env bash
# Usage: build-cli.sh [CARGO_TARGET]   (default: x86_64-unknown-linux-gnu.2.17)
# dist/: the CLI as refiner-identity-<version>-<target>.tar.gz (binary, README,
# licences) and its .sha256. A Linux target with a glibc suffix is linked by
# cargo-zigbuild against that glibc's symbols. Used by make dist and the release workflow.
source "$(dirname "$0")/lib.sh"
target=${1:-$GLIBC_TARGET}
triple=${target%%.*}
name="refiner-identity-$VERSION-$triple"
exe=refiner-identity
[[ "$triple" == *-windows-* ]] && exe=refiner-identity.exe

command=(cargo build)
[[ "$target" == *-linux-gnu.* ]] && command=(cargo zigbuild)
(cd "$ROOT" && "${command[@]}" --quiet --release --locked -p refiner-identity-cli --target "$target")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$ROOT/target/$triple/release/$exe" "$ROOT/README.md" "$ROOT/LICENSE-MIT" "$ROOT/LICENSE-APACHE" "$stage/$name/"
case "$triple" in
  *-linux-*) strip --strip-unneeded "$stage/$name/$exe" ;;
  *-apple-darwin) strip -x "$stage/$name/$exe" ;;
esac

mkdir -p "$DIST"
if tar --version 2>/dev/null | grep -q 'GNU tar'; then
  # Same bytes for the same commit: fixed order, owner and times.
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$(git -C "$ROOT" log -1 --format=%ct)" \
    -C "$stage" -cf - "$name" | gzip -n -9 > "$DIST/$name.tar.gz"
else
  tar -C "$stage" -czf "$DIST/$name.tar.gz" "$name"
fi
if command -v sha256sum >/dev/null; then
  (cd "$DIST" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
else
  (cd "$DIST" && shasum -a 256 "$name.tar.gz" > "$name.tar.gz.sha256")
fi
