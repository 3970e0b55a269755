# frozen_string_literal: true

module RefinerIdentity
  # The Rails integration (see refiner_identity/rails.rb).
  module Rails
    ENV_NAME = DEFAULT_SECRET_ENV

    class << self
      # The Signer built from the application's key when it booted.
      # @raise [Error] before the application has booted
      # @return [Signer]
      def signer
        @signer || raise(Error, "refiner_identity: not configured yet: the Railtie builds the Signer when the Rails application boots")
      end

      # Builds the Signer from +options+ (config.refiner_identity), else the
      # credential +refiner_secret_key+, else ENV["REFINER_SECRET_KEY"], so a
      # missing, empty or padded key stops the boot. Messages name where the
      # key came from, never the key.
      # @raise [InvalidSecretError, TypeError]
      def configure!(options, credentials)
        secret, source = secret_and_source(options, credentials)
        raise InvalidSecretError, "refiner_identity: the key from #{source} is nil" if secret.nil?

        @signer = begin
          Signer.new(secret)
        rescue InvalidSecretError => e
          raise InvalidSecretError, "refiner_identity: the key from #{source} is unusable: #{e.message}"
        rescue TypeError => e
          raise TypeError, "refiner_identity: the key from #{source} must be a String: #{e.message}"
        end
      end

      private

      def secret_and_source(options, credentials)
        return [options[:secret_key], "config.refiner_identity.secret_key"] if options.key?(:secret_key)

        from_credentials = credentials&.refiner_secret_key
        return [from_credentials, "the credential refiner_secret_key"] unless from_credentials.nil?
        return [ENV.fetch(ENV_NAME), "ENV[\"#{ENV_NAME}\"]"] if ENV.key?(ENV_NAME)

        raise InvalidSecretError, "refiner_identity: no secret key: set config.refiner_identity.secret_key, " \
                                  "the credential refiner_secret_key (bin/rails credentials:edit) or " \
                                  "the environment variable #{ENV_NAME} (Refiner's SETTINGS > Identity Verification)"
      end
    end
  end
end
