# frozen_string_literal: true

require "json"
require "minitest/autorun"
require "openssl"
require "refiner_identity"

# Shared by the tests: the vectors file and OpenSSL::HMAC as the reference.
module TestHelper
  SECRET = "ruby-test-secret-that-must-never-leak-4b2d"
  VECTORS = JSON.parse(File.read(File.expand_path("../../tests/vectors/vectors.json", __dir__)))

  module_function

  def reference(key, message)
    OpenSSL::HMAC.hexdigest("sha256", key, message)
  end

  # The Ruby value a tagged vectors.json value stands for.
  def ruby_value(tagged)
    tag, value = tagged.first
    case tag
    when "text" then value.dup.force_encoding(Encoding::UTF_8)
    when "hex" then [value].pack("H*")
    when "int" then Integer(value, 10)
    when "float" then { "NaN" => Float::NAN, "Infinity" => Float::INFINITY }.fetch(value) { Float(value) }
    when "bool", "list", "null" then value
    else raise ArgumentError, "tag #{tag} has no Ruby value"
    end
  end
end
