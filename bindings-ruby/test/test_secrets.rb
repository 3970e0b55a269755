# frozen_string_literal: true

require "test_helper"

# The secret never shows in an exception message, inspect or to_s.
class TestSecrets < Minitest::Test
  include TestHelper

  def assert_no_secret(text)
    refute_includes text, SECRET
    refute_includes text, SECRET[0, 12]
  end

  def test_inspect_and_to_s_are_redacted
    signer = RefinerIdentity::Signer.new(SECRET, previous: ["#{SECRET}-old"])
    [signer.inspect, signer.to_s, [signer].inspect, "#{signer}"].each do |text|
      assert_match(/redacted/, text)
      assert_no_secret(text)
    end
    assert_equal 1, signer.previous_count
  end

  def test_padded_secrets_are_refused_without_echo
    ["#{SECRET}\n", " #{SECRET}", "#{SECRET}\r\n", "\t#{SECRET}"].each do |padded|
      [
        -> { RefinerIdentity.sign(padded, "42") },
        -> { RefinerIdentity::Signer.new(padded) },
        -> { RefinerIdentity::Signer.new("ok", previous: [padded]) },
        -> { RefinerIdentity.verify(padded, "42", "0" * 64) },
      ].each do |attempt|
        error = assert_raises(RefinerIdentity::InvalidSecretError) { attempt.call }
        assert_match(/newline picked up from a file or an environment variable/, error.message)
        assert_no_secret(error.message)
        assert_no_secret(error.full_message)
        assert_no_secret(error.inspect)
      end
    end
  end

  def test_user_id_errors_never_show_the_secret
    ["", nil, 1.5, :sym].each do |bad|
      error = assert_raises(RefinerIdentity::Error, TypeError) { RefinerIdentity.sign(SECRET, bad) }
      assert_no_secret(error.full_message)
    end
  end

  def test_from_env
    name = "REFINER_IDENTITY_RUBY_TEST_KEY"
    ENV.delete(name)
    error = assert_raises(RefinerIdentity::InvalidSecretError) { RefinerIdentity::Signer.from_env(name) }
    assert_match(/#{name}.*not set/, error.message)
    ENV[name] = ""
    assert_raises(RefinerIdentity::InvalidSecretError) { RefinerIdentity::Signer.from_env(name) }
    ENV[name] = "#{SECRET}\n"
    error = assert_raises(RefinerIdentity::InvalidSecretError) { RefinerIdentity::Signer.from_env(name) }
    assert_no_secret(error.message)
    ENV[name] = SECRET
    assert_equal reference(SECRET, "42"), RefinerIdentity::Signer.from_env(name).sign("42")
    ENV["REFINER_SECRET_KEY"] = SECRET
    assert_equal reference(SECRET, "42"), RefinerIdentity::Signer.from_env.sign("42")
  ensure
    ENV.delete(name)
  end
end
