#!/usr/bin/env bash
# Usage: build-ruby-ext.sh CARGO_TARGET OUT_FILE
# The extension for the Ruby on PATH (its headers, its ABI) and CARGO_TARGET,
# stripped, at OUT_FILE. A Linux target with a glibc suffix
# (x86_64-unknown-linux-gnu.2.17) is linked by cargo-zigbuild against that
# glibc's symbols. Used by build-gems.sh and the release workflow.
source "$(dirname "$0")/lib.sh"
target=$1
out=$2
ruby_dir="$ROOT/bindings-ruby"
triple=${target%%.*}
(cd "$ruby_dir" && rake vendor >/dev/null)

command=(cargo build)
[[ "$target" == *-linux-gnu.* ]] && command=(cargo zigbuild)
# From the crate's directory: from the repository root, bindgen (inside
# cargo-zigbuild) loses clang's own headers (stdarg.h).
(cd "$ruby_dir/ext/refiner_identity" && RUBY=$(command -v ruby) "${command[@]}" --quiet --release --locked \
  --target "$target" --target-dir "$ruby_dir/tmp/dist-target")

built="$ruby_dir/tmp/dist-target/$triple/release/librefiner_identity_ruby"
if [[ "$triple" == *-apple-darwin ]]; then
  cp "$built.dylib" "$out" && strip -x "$out"
else
  cp "$built.so" "$out" && strip --strip-unneeded "$out"
fi
