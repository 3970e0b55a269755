#!/usr/bin/env bash
# Usage: npm-pack.sh BINARY_DIR OUT_DIR
# napi's layout from prebuilt binaries: for each refiner-identity.<platform>.node
# in BINARY_DIR, the package refiner-identity-<platform> (napi create-npm-dirs:
# os/cpu/libc fields), and the main package with an optional dependency on each.
# Used by build-npm.sh and the release workflow.
source "$(dirname "$0")/lib.sh"
binaries=$(cd "$1" && pwd)
out=$(mkdir -p "$2" && cd "$2" && pwd)
node_dir="$ROOT/bindings-node"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir "$stage/main"
cp "$node_dir/package.json" "$node_dir/README.md" "$stage/main/"
(cd "$node_dir" && node -p "require('./package.json').files.join('\n')" | xargs -I{} cp {} "$stage/main/")
# napi keeps npm/ inside the project; the main package's "files" leaves it out.
(cd "$node_dir" && node_modules/.bin/napi create-npm-dirs --cwd "$stage/main") >"$stage/napi.log" 2>&1 \
  || { cat "$stage/napi.log"; fail "napi create-npm-dirs failed"; }

packed=()
for binary in "$binaries"/refiner-identity.*.node; do
  platform=$(basename "$binary" .node)
  platform=${platform#refiner-identity.}
  dir="$stage/main/npm/$platform"
  [[ -d "$dir" ]] || fail "$platform is not among package.json's napi.targets"
  cp "$binary" "$ROOT/LICENSE-MIT" "$ROOT/LICENSE-APACHE" "$dir/"
  packed+=("$dir")
done
(( ${#packed[@]} > 0 )) || fail "no refiner-identity.*.node in $binaries"

node - "$stage/main/package.json" "${packed[@]}" <<'JS'
const fs = require('node:fs')
const [mainPath, ...platformDirs] = process.argv.slice(2)
const main = JSON.parse(fs.readFileSync(mainPath, 'utf8'))
main.optionalDependencies = {}
for (const dir of platformDirs) {
  const platform = JSON.parse(fs.readFileSync(`${dir}/package.json`, 'utf8'))
  platform.files.push('LICENSE-MIT', 'LICENSE-APACHE')
  platform.keywords = main.keywords
  main.optionalDependencies[platform.name] = platform.version
  fs.writeFileSync(`${dir}/package.json`, JSON.stringify(platform, null, 2) + '\n')
}
fs.writeFileSync(mainPath, JSON.stringify(main, null, 2) + '\n')
JS
for dir in "$stage/main" "${packed[@]}"; do
  (cd "$dir" && npm pack --silent --pack-destination "$out" >/dev/null)
done
