#!/usr/bin/env bash
# The CLI archive: checksum, contents, glibc floor, and a signature on a PATH with no Rust.
source "$(dirname "$0")/../lib.sh"
name="refiner-identity-$VERSION-x86_64-unknown-linux-gnu"
archive="$DIST/$name.tar.gz"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$DIST" && sha256sum --quiet -c "$name.tar.gz.sha256") || fail "$name.tar.gz does not match its .sha256"
start=$(date +%s.%N)
tar -xzf "$archive" -C "$tmp"
took=$(seconds_since "$start")
for needed in refiner-identity README.md LICENSE-MIT LICENSE-APACHE; do
  [[ -f "$tmp/$name/$needed" ]] || fail "$name.tar.gz lacks $needed"
done
floor=$(assert_elfs_glibc_217 "$tmp/$name")

printf 'dist-key' > "$tmp/key"
got=$(cd "$tmp" && PATH="$(no_rust_path)" "$tmp/$name/refiner-identity" sign --secret-file "$tmp/key" 'José 42')
expected=$(python3 -c 'import hashlib, hmac; print(hmac.new(b"dist-key", "José 42".encode(), hashlib.sha256).hexdigest())')
[[ "$got" == "$expected" ]] || fail "the CLI signs $got, Python's hmac $expected"
report "$archive" "$floor" "$took" "unpacked; checksum verified"
