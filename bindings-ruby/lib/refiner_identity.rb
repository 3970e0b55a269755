# frozen_string_literal: true

require_relative "refiner_identity/version"
require_relative "refiner_identity/errors"

# Refiner Identity Verification signatures: the lowercase hex HMAC-SHA256 of a
# user id under the environment's secret key, byte for byte what Refiner's
# documented snippet +OpenSSL::HMAC.hexdigest('sha256', KEY, USER_ID)+ returns.
#
# @!method self.sign(secret, user_id)
#   @param secret [String]
#   @param user_id [String, Integer]
#   @return [String] 64 lowercase hex characters
#   @raise [InvalidSecretError, InvalidUserIdError, TypeError]
# @!method self.verify(secret, user_id, signature)
#   @return [Boolean] constant-time; a malformed signature is false
#
# @!parse
#   # The environment variable {Signer.from_env} reads by default
#   # ("REFINER_SECRET_KEY"), set by the extension from the core.
#   DEFAULT_SECRET_ENV = "REFINER_SECRET_KEY"
module RefinerIdentity
end

require_relative "refiner_identity/native"
require_relative "refiner_identity/signer"
require_relative "refiner_identity/channels"
# The Rails integration, when Rails is loaded first (as Bundler.require does);
# refiner_identity/rails.rb loads it otherwise. Rails is never required here.
require_relative "refiner_identity/rails/railtie" if defined?(::Rails::Railtie)
