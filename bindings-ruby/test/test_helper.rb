# frozen_string_literal: true

require "json"
require "minitest/autorun"
require "openssl"
require "refiner_identity"
require_relative "tagged"

# Shared by the tests: the vectors file and OpenSSL::HMAC as the reference.
module TestHelper
  SECRET = "ruby-test-secret-that-must-never-leak-4b2d"
  VECTORS = JSON.parse(File.read(File.expand_path("../../tests/vectors/vectors.json", __dir__)))

  module_function

  def reference(key, message)
    OpenSSL::HMAC.hexdigest("sha256", key, message)
  end

  def ruby_value(tagged)
    Tagged.ruby_value(tagged)
  end
end
