# frozen_string_literal: true

require "test_helper"
require "channels_cases"
require "channels_reference"
require "timeout"

# survey_links: order, large batches through the parallel engine, errors naming the first bad index.
class TestChannelsBatch < Minitest::Test
  include TestHelper

  URL = "https://survey.example.com/s?campaign=spring#q1"

  def setup
    @signer = RefinerIdentity::Signer.new(SECRET)
  end

  # Identity Hashes for survey_links, with Symbol or String keys, and the keywords of survey_link.
  def batch(count, seed: 99)
    rng = Random.new(seed)
    Array.new(count) do |index|
      identity = ChannelsCases.random_identity(rng).merge(ChannelsCases.random_link_options(rng))
      identity[:user_id] = "user-#{index}" if index.even?
      identity
    end
  end

  def as_hash(identity, index)
    hash = identity.except(:user_id).merge(id: identity[:user_id])
    index.odd? ? hash.transform_keys(&:to_s) : hash
  end

  def test_twenty_thousand_identities_equal_survey_link_and_the_reference
    identities = batch(20_000)
    links = @signer.survey_links(URL, identities.each_with_index.map { |identity, index| as_hash(identity, index) })
    assert_equal 20_000, links.size
    identities.each_with_index do |identity, index|
      keywords = identity.except(:user_id)
      expected = ChannelsReference.survey_link(SECRET, URL, identity[:user_id], **keywords)
      assert_equal expected, links[index], "index #{index}"
      assert_equal expected, @signer.survey_link(URL, identity[:user_id], **keywords), "index #{index}" if (index % 97).zero?
    end
  end

  def test_order_is_kept_at_every_size
    [0, 1, 2, 4095, 4096, 4097, 16_385].each do |count|
      ids = Array.new(count) { |i| "id-#{count - i}" }
      assert_equal ids.map { |id| ChannelsReference.survey_link(SECRET, URL, id) }, @signer.survey_links(URL, ids.map { |id| { id: id } })
    end
  end

  def test_the_error_names_the_first_bad_index
    [[10, 3], [20_000, 7_000], [40_000, 39_999], [40_000, 16_384]].each do |count, bad|
      identities = Array.new(count) { |i| { id: "u#{i}", traits: { n: i } } }
      identities[bad] = { id: "u", traits: { n: 2**31 } }
      identities[bad + 1] = { id: "" } if bad + 1 < count
      error = assert_raises(RefinerIdentity::InvalidTraitError) { @signer.survey_links(URL, identities) }
      assert_match(/\Aat index #{bad}: invalid trait "n"/, error.message)
      identities[bad] = { id: "" }
      error = assert_raises(RefinerIdentity::InvalidUserIdError) { @signer.survey_links(URL, identities) }
      assert_match(/index #{bad}\b/, error.message)
    end
  end

  def test_a_type_error_after_a_refused_item_reports_the_refused_item
    identities = Array.new(20_000) { |i| { id: "u#{i}" } }
    identities[12_000] = 5
    assert_match(/\Aidentities\[12000\]: an identity must be a Hash, not Integer/,
                 assert_raises(TypeError) { @signer.survey_links(URL, identities) }.message)
    identities[5_000] = { id: "u", traits: { bad: true } }
    assert_match(/\Aat index 5000: invalid trait "bad"/,
                 assert_raises(RefinerIdentity::InvalidTraitError) { @signer.survey_links(URL, identities) }.message)
  end

  def test_identity_hash_shape
    { [{ "id" => 1, id: 2 }] => /identities\[0\]: id is given twice/,
      [{ id: 1 }, { email: "a@b.c" }] => /identities\[1\]: an identity needs an id/,
      [{ id: 1, trait: {} }] => /identities\[0\]: unknown key :trait \(an identity has id, email/,
      [{ id: 1, "Email" => "x" }] => /identities\[0\]: unknown key "Email"/,
      [{ id: 1, 5 => "x" }] => /identities\[0\]: a key must be a Symbol or a String, not Integer/,
      [{ id: 1 }, [1]] => /identities\[1\]: an identity must be a Hash, not Array/,
      [{ id: nil }] => /identities\[0\]\[:id\]: user id must be a String or an Integer, not nil/,
      [{ id: 1, traits: [] }] => /identities\[0\]: traits must be a Hash, not Array/ }.each do |identities, pattern|
      assert_match pattern, assert_raises(TypeError) { @signer.survey_links(URL, identities) }.message
    end
    assert_match(/identities must be an Array, not Hash/, assert_raises(TypeError) { @signer.survey_links(URL, { id: 1 }) }.message)
  end

  def test_timeout_interrupts_a_long_batch_and_the_signer_still_works
    identities = Array.new(2_000_000, { id: "user-1234567", traits: { plan: "pro" } })
    2.times do
      assert_raises(Timeout::Error) { Timeout.timeout(0.1) { @signer.survey_links(URL, identities) } }
    end
    assert_equal [ChannelsReference.survey_link(SECRET, URL, "u", traits: { plan: "pro" })],
                 @signer.survey_links(URL, [{ id: "u", traits: { plan: "pro" } }])
  end

  def test_every_key_as_a_string_or_a_symbol
    full = { id: 42, email: "e@x.io", name: "N", traits: { a: 1 }, locale: "de", tags: %w[x y], response: { r: "v" } }
    expected = ChannelsReference.survey_link(SECRET, URL, 42, **full.except(:id))
    assert_equal [expected, expected], @signer.survey_links(URL, [full, full.transform_keys(&:to_s)])
  end
end
