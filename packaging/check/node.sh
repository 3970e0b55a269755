#!/usr/bin/env bash
# The npm main package and its linux-x64-gnu platform package, installed from
# their tarballs into a fresh project on a PATH with no Rust; lint and types;
# the loader's message on a platform without a prebuilt binary.
source "$(dirname "$0")/../lib.sh"
node_dir="$ROOT/bindings-node"
main="$DIST/refiner-identity-$VERSION.tgz"
platform="$DIST/refiner-identity-linux-x64-gnu-$VERSION.tgz"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
clean_path=$(no_rust_path)
PATH="$clean_path" bash -c '! command -v cargo && ! command -v rustc' >/dev/null || fail "could not hide cargo"

main_files=$(tar -tzf "$main")
platform_files=$(tar -tzf "$platform")
for needed in README.md LICENSE-MIT LICENSE-APACHE package.json; do
  grep -qx "package/$needed" <<<"$main_files" || fail "$(basename "$main") lacks $needed"
  grep -qx "package/$needed" <<<"$platform_files" || fail "$(basename "$platform") lacks $needed"
done
! grep -q '\.node$' <<<"$main_files" || fail "$(basename "$main") carries a binary: the platform packages do"
mkdir "$tmp/platform" && tar -xzf "$platform" -C "$tmp/platform"
[[ -f "$tmp/platform/package/refiner-identity.linux-x64-gnu.node" ]] || fail "$(basename "$platform") lacks its binary"
floor=$(assert_elfs_glibc_217 "$tmp/platform")

# publint and arethetypeswrong (ESM types are index.d.mts, not CommonJS types masquerading as ESM).
mkdir "$tmp/lint" && tar -xzf "$main" -C "$tmp/lint"
(cd "$node_dir" && node_modules/.bin/publint --strict "$tmp/lint/package" >"$tmp/publint.log" 2>&1) \
  || { cat "$tmp/publint.log"; fail "publint finds problems"; }
(cd "$node_dir" && node_modules/.bin/attw --format table-flipped "$main" >"$tmp/attw.log" 2>&1) \
  || { cat "$tmp/attw.log"; fail "arethetypeswrong finds problems"; }
echo "dist-check: publint --strict and arethetypeswrong find no problem in $(basename "$main")"

mkdir "$tmp/app"
cd "$tmp/app"
npm init -y >/dev/null
start=$(date +%s.%N)
PATH="$clean_path" npm install --silent --no-audit --no-fund "$platform" "$main"
took=$(seconds_since "$start")

PATH="$clean_path" node - "$tmp/app" <<'JS'
const { createHmac } = require('node:crypto')
const { sign, Signer } = require('refiner-identity')
const expected = createHmac('sha256', 'dist-key').update('José 42').digest('hex')
if (sign('dist-key', 'José 42') !== expected) throw new Error('sign differs from createHmac')
if (new Signer('dist-key').signMany(['José 42'])[0] !== expected) throw new Error('signMany differs from createHmac')
const loaded = Object.keys(require.cache).filter((path) => path.endsWith('.node'))
const want = `${process.argv[2]}/node_modules/refiner-identity-linux-x64-gnu/refiner-identity.linux-x64-gnu.node`
if (loaded.length !== 1 || loaded[0] !== want) throw new Error(`binary loaded from ${loaded}, not ${want}`)
// The framework entry points load without their frameworks (and with every file they need packed).
const { refinerIdentity } = require('refiner-identity/express')
const res = { locals: {} }
refinerIdentity({ secret: 'dist-key', getUser: () => ({ id: 'José 42' }) })({}, res, () => {}).then(() => {
  if (res.locals.refiner?.payload.signature !== expected) throw new Error('refiner-identity/express differs from createHmac')
  if (typeof require('refiner-identity/fastify').refinerIdentity !== 'function') throw new Error('no refiner-identity/fastify')
})
JS
PATH="$clean_path" node --input-type=module -e "
import { sign } from 'refiner-identity'
import { createHmac } from 'node:crypto'
if (sign('k', 42n) !== createHmac('sha256', 'k').update('42').digest('hex')) throw new Error('ESM sign differs')
"
# The installed types, from CommonJS and from ESM, with strict NodeNext resolution.
cat > consumer.cts <<'TS'
import { sign, Signer, type UserId } from 'refiner-identity'
const id: UserId = 42n
const signature: string = sign('k', id) + new Signer('k').sign('x')
export = signature
TS
cat > consumer.mts <<'TS'
import binding, { sign, verify, Signer, type UserId } from 'refiner-identity'
const id: UserId = 'user_42'
const ok: boolean = verify('k', id, sign('k', id)) && binding.sign === sign && new Signer('k') instanceof binding.Signer
export default ok
TS
"$node_dir/node_modules/.bin/tsc" --noEmit --strict --module nodenext --moduleResolution nodenext --skipLibCheck false \
  --typeRoots "$node_dir/node_modules/@types" --types node consumer.cts consumer.mts || fail "the installed types do not check"
report "$platform" "$floor" "$took" "with $(basename "$main") ($(human_size "$main")), one npm install"

# No binary for this platform: faked darwin-arm64, and linux-x64-gnu with its platform package gone.
expect_message() {
  local preload="$1" log="$tmp/message.log"; shift
  for entry in "commonjs:require('refiner-identity')" "module:await import('refiner-identity')"; do
    if PATH="$clean_path" node --require "$preload" --input-type="${entry%%:*}" -e "${entry#*:}" >"$log" 2>&1; then
      fail "loading refiner-identity with $(basename "$preload") did not throw"
    fi
    for says in ERR_REFINER_NO_BINARY "$@" "Rust >= 1.88" "npx napi build --platform --release"; do
      grep -qF -- "$says" "$log" || { cat "$log"; fail "${entry#*:} with $(basename "$preload") does not say: $says"; }
    done
    ! grep -q 'npm has a bug' "$log" || { cat "$log"; fail "napi's generic optional-dependencies message is still shown"; }
  done
}
cat > "$tmp/darwin-arm64.cjs" <<'JS'
Object.defineProperty(process, 'platform', { value: 'darwin' })
Object.defineProperty(process, 'arch', { value: 'arm64' })
JS
printf '' > "$tmp/this-platform.cjs"
expect_message "$tmp/darwin-arm64.cjs" "no prebuilt binary for darwin-arm64" "Prebuilt binaries: linux-x64-gnu."
rm -rf node_modules/refiner-identity-linux-x64-gnu
expect_message "$tmp/this-platform.cjs" "the prebuilt binary for linux-x64-gnu did not load" "--omit=optional" "glibc >= 2.17"
echo "dist-check: with no binary for the platform, require and import name it, the prebuilt ones and the source build"
