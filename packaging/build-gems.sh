#!/usr/bin/env bash
# dist/: the source gem, and the precompiled x86_64-linux gem for this Ruby's
# ABI (lib/refiner_identity/<ruby minor>/refiner_identity.so, glibc >= 2.17).
source "$(dirname "$0")/lib.sh"
ruby_dir="$ROOT/bindings-ruby"
mkdir -p "$DIST"
(cd "$ruby_dir" && rake vendor >/dev/null)
(cd "$ruby_dir" && gem build --silent refiner_identity.gemspec --output "$DIST/refiner_identity-$VERSION.gem")

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
abi=$(ruby -e 'print RUBY_VERSION[/\A\d+\.\d+/]')
"$ROOT/packaging/build-ruby-ext.sh" "$GLIBC_TARGET" "$stage/refiner_identity.so"
ruby "$ROOT/packaging/ruby/platform_gem.rb" "$ruby_dir/refiner_identity.gemspec" x86_64-linux "$DIST" \
  "$abi=$stage/refiner_identity.so"
