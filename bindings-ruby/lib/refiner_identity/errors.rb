# frozen_string_literal: true

module RefinerIdentity
  # Base class of the gem's errors. An ArgumentError, so `rescue ArgumentError` catches it.
  # The native extension looks these classes up at load time; they are defined only here.
  class Error < ArgumentError; end

  # The secret key is unusable: empty, padded with whitespace (usually a newline
  # from a file or an environment variable), or missing from the environment.
  # The message never contains the key.
  class InvalidSecretError < Error; end

  # The user id is unusable: empty. Identity Verification needs a non-empty unique user identifier.
  class InvalidUserIdError < Error; end

  # A field of the identity to render (email, name, a trait or a response value) is unusable;
  # the message names the field.
  class InvalidTraitError < Error; end

  # A renderer option (survey URL, CSP nonce, tags) is unusable; the message names it.
  class InvalidOptionError < Error; end
end
