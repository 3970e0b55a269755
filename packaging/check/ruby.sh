#!/usr/bin/env bash
# The precompiled gem on a machine with no Rust; the source gem without Rust
# (a clear message) and with it (no build output left behind).
source "$(dirname "$0")/../lib.sh"
platform_gem="$DIST/refiner_identity-$VERSION-x86_64-linux.gem"
source_gem="$DIST/refiner_identity-$VERSION.gem"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
clean_path=$(no_rust_path)
PATH="$clean_path" bash -c '! command -v cargo && ! command -v rustc' >/dev/null || fail "could not hide cargo"

for gem in "$platform_gem" "$source_gem"; do
  files=$(tar -xOf "$gem" data.tar.gz | tar -tz)
  for needed in README.md LICENSE-MIT LICENSE-APACHE lib/refiner_identity/native.rb \
      lib/refiner_identity/rails.rb lib/refiner_identity/rails/railtie.rb; do
    grep -qx "$needed" <<<"$files" || fail "$(basename "$gem") lacks $needed"
  done
done
abi=$(ruby -e 'print RUBY_VERSION[/\A\d+\.\d+/]')
mkdir "$tmp/platform-gem" && tar -xOf "$platform_gem" data.tar.gz | tar -xz -C "$tmp/platform-gem"
[[ -f "$tmp/platform-gem/lib/refiner_identity/$abi/refiner_identity.so" ]] || fail "$(basename "$platform_gem") has no extension for Ruby $abi"
floor=$(assert_elfs_glibc_217 "$tmp/platform-gem")

# Signs like OpenSSL::HMAC, from the extension under $1 (the fresh GEM_HOME).
check_signs() {
  (cd "$tmp" && GEM_HOME="$1" GEM_PATH="$1" PATH="$2" ruby -e '
    require "openssl"
    require "refiner_identity"
    loaded = $LOADED_FEATURES.grep(/refiner_identity\.so\z/)
    abort "extension not from #{ARGV[0]}: #{loaded}" unless loaded.size == 1 && loaded[0].start_with?(ARGV[0])
    abort "extension not at #{ARGV[1]}: #{loaded[0]}" unless loaded[0].end_with?(ARGV[1])
    expected = OpenSSL::HMAC.hexdigest("sha256", "dist-key", "José 42")
    abort "sign differs from OpenSSL::HMAC" unless RefinerIdentity.sign("dist-key", "José 42") == expected
    abort "sign_many differs" unless RefinerIdentity::Signer.new("dist-key").sign_many(["José 42"]) == [expected]
  ' "$1" "$3")
}

home="$tmp/precompiled"
start=$(date +%s.%N)
GEM_HOME="$home" GEM_PATH="$home" PATH="$clean_path" gem install --silent --local --no-document "$platform_gem" >/dev/null
took=$(seconds_since "$start")
check_signs "$home" "$clean_path" "/lib/refiner_identity/$abi/refiner_identity.so"
report "$platform_gem" "$floor" "$took"

home="$tmp/source-without-rust"
if GEM_HOME="$home" GEM_PATH="$home" PATH="$clean_path" gem install --local --no-document "$source_gem" >"$tmp/no-rust.log" 2>&1; then
  fail "the source gem installed without Rust?"
fi
for says in "needs Rust >= 1.88" "cargo was not found on PATH" "https://rustup.rs" "precompiled gem"; do
  grep -qF "$says" "$tmp/no-rust.log" || { cat "$tmp/no-rust.log"; fail "source gem without Rust does not say: $says"; }
done
echo "dist-check: $(basename "$source_gem") without Rust says to install Rust >= 1.88 or use a precompiled gem"

home="$tmp/source"
start=$(date +%s.%N)
GEM_HOME="$home" GEM_PATH="$home" gem install --silent --local --no-document "$source_gem" >/dev/null
took=$(seconds_since "$start")
check_signs "$home" "$PATH" "/refiner_identity/refiner_identity.so"
leftover=$(find "$home" -type d -name target)
[[ -z "$leftover" ]] || fail "gem install left cargo output behind: $leftover"
size=$(du -sb "$home" | cut -f1)
(( size < 5 * 1024 * 1024 )) || { du -sh "$home"/* "$home"/gems/*/* >&2; fail "the installed source gem takes $size bytes (limit 5 MB)"; }
floor=$(glibc_floor "$(find "$home" -name refiner_identity.so | head -n 1)")
report "$source_gem" "$floor" "$took" "built here with cargo; installed size $(numfmt --to=iec --suffix=B "$size"), no build output left"
