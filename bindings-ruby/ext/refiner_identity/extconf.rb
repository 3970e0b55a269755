# frozen_string_literal: true

# Builds the extension with cargo. The usual path is rb_sys/mkmf; the rb_sys
# gem is not reachable from this project's machines (no RubyGems registry), so
# without it this script writes a Makefile that calls cargo itself and installs
# the .so where RubyGems expects it.
require "mkmf"
require_relative "vendor_core"

RefinerIdentityVendor.vendor! if !RefinerIdentityVendor.vendored? && RefinerIdentityVendor.in_repository?
abort "refiner_identity: vendor/refiner-identity is missing (run `rake vendor` in the repository)" unless RefinerIdentityVendor.vendored?

begin
  require "rb_sys/mkmf"
  create_rust_makefile("refiner_identity/refiner_identity")
rescue LoadError
  crate_dir = __dir__
  target_dir = File.join(Dir.pwd, "target")
  dlext = RbConfig::CONFIG["DLEXT"]
  built = File.join(target_dir, "release", "librefiner_identity_ruby.#{RbConfig::CONFIG['SOEXT'] || 'so'}")
  File.write("Makefile", <<~MAKE)
    # Written by extconf.rb: cargo builds, make installs (RubyGems passes sitearchdir).
    sitearchdir ?= #{RbConfig::CONFIG['sitearchdir']}
    CARGO ?= cargo

    all: refiner_identity.#{dlext}

    refiner_identity.#{dlext}:
    \tenv RUBY=#{RbConfig.ruby} $(CARGO) build --release --manifest-path #{crate_dir}/Cargo.toml --target-dir #{target_dir}
    \tcp #{built} $@

    install: all
    \tmkdir -p $(sitearchdir)/refiner_identity
    \tcp refiner_identity.#{dlext} $(sitearchdir)/refiner_identity/

    clean:
    \trm -f refiner_identity.#{dlext}

    .PHONY: all install clean refiner_identity.#{dlext}
  MAKE
end
