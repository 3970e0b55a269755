#!/usr/bin/env bash
# dist/: the source gem and the precompiled x86_64-linux gem for this Ruby's ABI
# (lib/refiner_identity/<ruby minor>/refiner_identity.so, linked for glibc >= 2.17).
source "$(dirname "$0")/lib.sh"
ruby_dir="$ROOT/bindings-ruby"
mkdir -p "$DIST"
(cd "$ruby_dir" && rake vendor >/dev/null)
(cd "$ruby_dir" && gem build --silent refiner_identity.gemspec --output "$DIST/refiner_identity-$VERSION.gem")

# rb-sys reads the headers and RbConfig of the Ruby in $RUBY (the one running here).
# Run from the crate's directory: from the repository root, bindgen (inside
# cargo-zigbuild) loses clang's own headers (stdarg.h).
(cd "$ruby_dir/ext/refiner_identity" && RUBY=$(command -v ruby) cargo zigbuild --quiet --release --locked \
  --target "$GLIBC_TARGET" --target-dir "$ruby_dir/tmp/zig-target")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$ruby_dir/tmp/zig-target/x86_64-unknown-linux-gnu/release/librefiner_identity_ruby.so" "$stage/refiner_identity.so"
strip --strip-unneeded "$stage/refiner_identity.so"
ruby "$ROOT/packaging/ruby/platform_gem.rb" "$ruby_dir/refiner_identity.gemspec" x86_64-linux "$stage/refiner_identity.so" "$DIST"
