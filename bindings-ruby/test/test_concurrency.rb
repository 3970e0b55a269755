# frozen_string_literal: true

require "test_helper"

# One Signer shared by 8 threads; and the vector cases once under GC.stress.
class TestConcurrency < Minitest::Test
  include TestHelper

  THREADS = 8
  PER_THREAD = 20_000

  def test_threads_share_one_signer
    signer = RefinerIdentity::Signer.new(SECRET)
    ids = Array.new(PER_THREAD) { |i| "thread-user-#{i}" }
    expected = ids.map { |id| reference(SECRET, id) }
    results = Array.new(THREADS) do |t|
      Thread.new do
        # Half the threads use sign_many (which releases the GVL), half sign one by one.
        t.even? ? signer.sign_many(ids) == expected : ids.map { |id| signer.sign(id) } == expected
      end
    end.map(&:value)
    assert_equal [true] * THREADS, results
  end

  def test_vector_cases_under_gc_stress
    cases = VECTORS["cases"].first(60)
    GC.stress = true
    begin
      cases.each do |kase|
        secret = ruby_value(kase["secret"])
        user_id = ruby_value(kase["user_id"])
        signer = RefinerIdentity::Signer.new(secret)
        assert_equal kase["signature"], signer.sign(user_id), kase["name"]
        assert_equal [kase["signature"]], signer.sign_many([user_id]), kase["name"]
        assert_equal kase["signature"], RefinerIdentity.sign(secret, user_id), kase["name"]
      end
    ensure
      GC.stress = false
    end
  end
end
