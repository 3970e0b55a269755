#!/usr/bin/env bash
# dist/: the npm main package and its platform package linux-x64-gnu (napi's
# layout: the binary in an optional dependency with os/cpu/libc), the binary
# linked for glibc >= 2.17 and stripped.
source "$(dirname "$0")/lib.sh"
node_dir="$ROOT/bindings-node"
napi="$node_dir/node_modules/.bin/napi"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# -x: cargo-zigbuild, which links against glibc 2.17's symbols.
(cd "$node_dir" && "$napi" build --platform --release --strip -x --target "$GLIBC_TARGET" -o "$stage/build" >/dev/null)
for generated in index.js index.d.ts; do
  cmp -s "$stage/build/$generated" "$node_dir/$generated" \
    || fail "bindings-node/$generated is not what napi build generates now (make $(basename "$node_dir")/refiner-identity.linux-x64-gnu.node updates it)"
done

# The main package: package.json's "files", plus the optional dependency on each platform package built here.
mkdir "$stage/main"
cp "$node_dir/package.json" "$node_dir/README.md" "$stage/main/"
(cd "$node_dir" && node -p "require('./package.json').files.join('\n')" | xargs -I{} cp {} "$stage/main/")
# napi keeps npm/ inside the project; the main package's "files" leaves it out.
"$napi" create-npm-dirs --cwd "$stage/main" >/dev/null
platform_dir="$stage/main/npm/linux-x64-gnu"
cp "$stage/build/refiner-identity.linux-x64-gnu.node" "$ROOT/LICENSE-MIT" "$ROOT/LICENSE-APACHE" "$platform_dir/"
node - "$stage/main/package.json" "$platform_dir/package.json" <<'JS'
const fs = require('node:fs')
const [mainPath, platformPath] = process.argv.slice(2)
const main = JSON.parse(fs.readFileSync(mainPath, 'utf8'))
const platform = JSON.parse(fs.readFileSync(platformPath, 'utf8'))
platform.files.push('LICENSE-MIT', 'LICENSE-APACHE')
platform.keywords = main.keywords
main.optionalDependencies = { [platform.name]: platform.version }
fs.writeFileSync(mainPath, JSON.stringify(main, null, 2) + '\n')
fs.writeFileSync(platformPath, JSON.stringify(platform, null, 2) + '\n')
JS
mkdir -p "$DIST"
for dir in "$stage/main" "$platform_dir"; do
  (cd "$dir" && npm pack --silent --pack-destination "$DIST" >/dev/null)
done
test -f "$DIST/refiner-identity-$VERSION.tgz" && test -f "$DIST/refiner-identity-linux-x64-gnu-$VERSION.tgz"
