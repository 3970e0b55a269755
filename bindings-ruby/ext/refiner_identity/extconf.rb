# frozen_string_literal: true

# Builds the extension with cargo. The usual path is rb_sys/mkmf; the rb_sys
# gem is not reachable from this project's machines (no RubyGems registry), so
# without it this script writes a Makefile that calls cargo itself and installs
# the .so where RubyGems expects it.
require "mkmf"
require_relative "vendor_core"

RefinerIdentityVendor.vendor! if !RefinerIdentityVendor.vendored? && RefinerIdentityVendor.in_repository?
abort "refiner_identity: vendor/refiner-identity is missing (run `rake vendor` in the repository)" unless RefinerIdentityVendor.vendored?

MINIMUM_RUST = Gem::Version.new("1.88")

# Says what to install, instead of make's "cargo: No such file or directory".
def require_rust
  cargo = find_executable(ENV.fetch("CARGO", "cargo"))
  found = cargo && `"#{cargo}" --version`[/\d+\.\d+(\.\d+)?/]
  return if found && Gem::Version.new(found) >= MINIMUM_RUST

  problem = cargo ? "found cargo #{found || 'of an unknown version'}" : "cargo was not found on PATH"
  abort <<~MESSAGE
    refiner_identity: this is the source gem; building its extension needs Rust >= #{MINIMUM_RUST} and libclang: #{problem}.
    Either install Rust >= #{MINIMUM_RUST} (https://rustup.rs) and libclang, then retry, or use a precompiled gem, which needs neither:
    `gem install refiner_identity` picks one where one exists for this platform (#{Gem::Platform.local}) and Ruby (#{RUBY_VERSION[/\A\d+\.\d+/]}); the project README lists them.
  MESSAGE
end
require_rust

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

    # gem install runs install last: the cargo build output (~200 MB) would stay in GEM_HOME.
    install: all
    \tmkdir -p $(sitearchdir)/refiner_identity
    \tcp refiner_identity.#{dlext} $(sitearchdir)/refiner_identity/
    \trm -rf #{target_dir}

    clean:
    \trm -f refiner_identity.#{dlext}

    .PHONY: all install clean refiner_identity.#{dlext}
  MAKE
end
