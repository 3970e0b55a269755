# frozen_string_literal: true

require "test_helper"

# sign_many: order, large batches, errors with their index.
class TestBatch < Minitest::Test
  include TestHelper

  def setup
    @signer = RefinerIdentity::Signer.new(SECRET)
  end

  def mixed_ids(count)
    Array.new(count) { |i| [("user-#{i}-é"), i * 7919 - 10**6, "raw-#{i}".b, 10**30 + i][i % 4] }
  end

  def test_equals_mapping_sign
    [0, 1, 17, 4095, 4096, 10_000].each do |count|
      ids = mixed_ids(count)
      assert_equal ids.map { |id| @signer.sign(id) }, @signer.sign_many(ids), "#{count} ids"
    end
  end

  def test_two_hundred_thousand_ids_match_openssl
    ids = Array.new(200_000) { |i| "user-#{i}" }
    assert_equal ids.map { |id| reference(SECRET, id) }, @signer.sign_many(ids)
  end

  def test_bad_element_names_its_index
    [10, 50_000].each do |count|
      ids = Array.new(count) { |i| "u#{i}" }
      middle = count / 2
      ids[middle] = ""
      error = assert_raises(RefinerIdentity::InvalidUserIdError) { @signer.sign_many(ids) }
      assert_match(/index #{middle}\b/, error.message)
      ids[middle] = :symbol
      error = assert_raises(TypeError) { @signer.sign_many(ids) }
      assert_match(/user_ids\[#{middle}\].*Symbol/, error.message)
    end
  end

  # SPEC section 10: the lowest bad index wins, whatever its problem.
  def test_lowest_bad_index_wins_whatever_the_problem
    [10, 50_000].each do |count|
      ids = Array.new(count) { |i| "u#{i}" }
      ids[2] = ""
      ids[5] = 1.5
      error = assert_raises(RefinerIdentity::InvalidUserIdError) { @signer.sign_many(ids) }
      assert_match(/index 2\b/, error.message)
      ids[2] = 1.5
      ids[5] = ""
      error = assert_raises(TypeError) { @signer.sign_many(ids) }
      assert_match(/user_ids\[2\].*Float/, error.message)
    end
  end

  def test_needs_an_array
    assert_raises(TypeError) { @signer.sign_many("abc") }
  end
end
