# frozen_string_literal: true

require "test_helper"

# Every case of the shared vectors file (signatures from the reference snippets).
class TestVectors < Minitest::Test
  include TestHelper

  ERRORS = {
    "InvalidSecret" => RefinerIdentity::InvalidSecretError,
    "InvalidUserId" => RefinerIdentity::InvalidUserIdError,
    "TypeError" => TypeError,
  }.freeze

  def test_the_file_is_complete
    assert_operator VECTORS["cases"].size, :>=, 150
    assert_operator rejected_for_ruby.size, :>=, 15
  end

  VECTORS["cases"].each_with_index do |kase, index|
    define_method("test_case_#{index}") do
      secret = ruby_value(kase["secret"])
      user_id = ruby_value(kase["user_id"])
      expected = kase["signature"]
      signer = RefinerIdentity::Signer.new(secret)
      assert_equal expected, RefinerIdentity.sign(secret, user_id), kase["name"]
      assert_equal expected, signer.sign(user_id), kase["name"]
      assert_equal [expected, expected], signer.sign_many([user_id, user_id]), kase["name"]
      assert RefinerIdentity.verify(secret, user_id, expected.upcase), kase["name"]
      assert signer.verify(user_id, expected), kase["name"]
    end
  end

  def rejected_for_ruby
    VECTORS["rejected"].select { |kase| kase["expect"].key?("ruby") }
  end

  def test_rejected_inputs
    rejected_for_ruby.each do |kase|
      error = ERRORS.fetch(kase["expect"]["ruby"])
      secret = ruby_value(kase["secret"])
      user_id = ruby_value(kase["user_id"])
      attempts = [-> { RefinerIdentity.sign(secret, user_id) }, -> { RefinerIdentity.verify(secret, user_id, "0" * 64) }]
      if secret.is_a?(String) && error != RefinerIdentity::InvalidSecretError
        signer = RefinerIdentity::Signer.new(secret)
        attempts += [-> { signer.sign(user_id) }, -> { signer.sign_many(["ok", user_id]) }]
      else
        attempts << -> { RefinerIdentity::Signer.new(secret) }
      end
      attempts.each do |attempt|
        raised = assert_raises(error, kase["name"]) { attempt.call }
        assert_instance_of error, raised, kase["name"]
      end
    end
  end
end
