#!/usr/bin/env bash
# dist/: the npm main package and its platform package linux-x64-gnu (napi's
# layout: the binary in an optional dependency with os/cpu/libc), the binary
# linked for glibc >= 2.17 and stripped.
source "$(dirname "$0")/lib.sh"
node_dir="$ROOT/bindings-node"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# -x: cargo-zigbuild, which links against glibc 2.17's symbols.
(cd "$node_dir" && node_modules/.bin/napi build --platform --release --strip -x --target "$GLIBC_TARGET" -o "$stage" >/dev/null)
for generated in index.js index.d.ts; do
  cmp -s "$stage/$generated" "$node_dir/$generated" \
    || fail "bindings-node/$generated is not what napi build generates now (make bindings-node/refiner-identity.linux-x64-gnu.node updates it)"
done
"$ROOT/packaging/npm-pack.sh" "$stage" "$DIST"
test -f "$DIST/refiner-identity-$VERSION.tgz" && test -f "$DIST/refiner-identity-linux-x64-gnu-$VERSION.tgz"
