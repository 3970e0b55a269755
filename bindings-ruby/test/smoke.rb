# frozen_string_literal: true

# Run by `rake smoke` against the gem installed into a fresh GEM_HOME.
require "openssl"
require "refiner_identity"

expected_version = ARGV.fetch(0)
abort "version #{RefinerIdentity::VERSION} != gemspec #{expected_version}" unless RefinerIdentity::VERSION == expected_version
location = $LOADED_FEATURES.grep(/refiner_identity\.so\z/).first.to_s
abort "loaded the extension from the source tree, not the gem: #{location}" unless location.start_with?(ENV.fetch("GEM_HOME"))
expected = OpenSSL::HMAC.hexdigest("sha256", "smoke-key", "José 42")
abort "sign differs from OpenSSL::HMAC" unless RefinerIdentity.sign("smoke-key", "José 42") == expected
abort "sign_many differs" unless RefinerIdentity::Signer.new("smoke-key").sign_many(["José 42"]) == [expected]
payload = RefinerIdentity::Signer.new("smoke-key").identify_payload("José 42", traits: { since: Date.new(2024, 1, 15) })
abort "identify_payload differs" unless payload == { "user" => { "id" => "José 42", "since" => "2024-01-15" }, "signature" => expected }
puts "gem #{RefinerIdentity::VERSION}: installed into a fresh GEM_HOME, signs like OpenSSL::HMAC"
