# frozen_string_literal: true

module RefinerIdentity
  # Signs user ids with one secret key, validated once and kept only as keyed
  # HMAC states. Immutable (frozen): share one per process, across threads.
  #
  # @example
  #   signer = RefinerIdentity::Signer.new(ENV.fetch("REFINER_SECRET_KEY"))
  #   signer.sign(current_user.id) # => "5e1f..." (64 lowercase hex characters)
  class Signer
    class << self
      # @param secret [String] the environment's secret key (its bytes, used as is)
      # @param previous [Array<String>] older keys that {#verify} still accepts during a rotation
      # @raise [InvalidSecretError] empty or whitespace-padded key (the message never shows it)
      # @raise [TypeError] a key that is not a String
      # @return [Signer]
      def new(secret, previous: [])
        _build(secret, previous).freeze
      end

      # A Signer for the secret in environment variable +name+.
      # @param name [String]
      # @raise [InvalidSecretError] unset, empty or padded (names the variable, never the value)
      # @return [Signer]
      def from_env(name = DEFAULT_SECRET_ENV)
        _from_env(name).freeze
      end
    end
    # The extension's constructors return an unfrozen Signer: only new and from_env may call them.
    private_class_method :_build, :_from_env

    # @!method sign(user_id)
    #   @param user_id [String, Integer] a String is signed as its raw bytes, whatever its encoding
    #   @return [String] 64 lowercase hex characters
    # @!method verify(user_id, signature)
    #   @return [Boolean] true iff +signature+ (either case) matches the current or a previous key
    # @!method sign_many(user_ids)
    #   Signatures of every id, in order; hashes without the GVL, on all cores for large batches.
    #   @param user_ids [Array<String, Integer>]
    #   @return [Array<String>]
    # @!method previous_count
    #   @return [Integer] how many previous keys {#verify} accepts

    # A Signer is immutable, so a copy would be the same object: like an
    # Integer's, +dup+ returns +self+.
    # @return [self]
    def dup
      self
    end

    # +self+, as for an Integer.
    # @raise [ArgumentError] for +freeze: false+: a Signer cannot be unfrozen
    # @return [self]
    def clone(freeze: nil)
      raise ArgumentError, "can't unfreeze #{self.class.name}: a Signer is immutable" if freeze == false

      self
    end

    # @return [String] the key redacted
    def inspect
      "#<#{self.class.name} secret=<redacted> previous_count=#{previous_count}>"
    end
    alias to_s inspect
  end
end
