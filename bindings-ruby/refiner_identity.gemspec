# frozen_string_literal: true

require_relative "lib/refiner_identity/version"

Gem::Specification.new do |spec|
  spec.name = "refiner_identity"
  spec.version = RefinerIdentity::VERSION
  spec.summary = "Refiner Identity Verification signatures (HMAC-SHA256), identical to OpenSSL::HMAC"
  spec.description = "Signs user ids for Refiner's Identity Verification with a Rust core shared " \
                     "with the Python and Node packages: byte for byte what Refiner's documented " \
                     "Node, PHP and Ruby snippets produce."
  spec.authors = ["refiner-identity developers"]
  # MIT OR Apache-2.0, at the user's option (RubyGems takes one SPDX id per entry).
  spec.licenses = ["MIT", "Apache-2.0"]
  spec.required_ruby_version = ">= 3.0"
  spec.extensions = ["ext/refiner_identity/extconf.rb"]

  # The vendored core (copied by `rake vendor`) travels inside the gem; its
  # dot-files (.cargo_vcs_info.json) are part of what `cargo package` wrote.
  ext_files = Dir.glob("ext/refiner_identity/**/*", File::FNM_DOTMATCH).reject do |path|
    File.directory?(path) || path.include?("/target/") || path.end_with?(".so")
  end
  spec.files = Dir["lib/**/*.rb", "sig/*.rbs"] + %w[README.md LICENSE-MIT LICENSE-APACHE] + ext_files
  spec.require_paths = ["lib"]
  spec.metadata["rubygems_mfa_required"] = "true"
  # Precompiled platform gems (packaging/ruby/platform_gem.rb) are this spec with
  # lib/refiner_identity/<ruby minor>/refiner_identity.so instead of ext/.
end
