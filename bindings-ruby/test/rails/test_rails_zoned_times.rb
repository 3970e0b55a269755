# frozen_string_literal: true

require_relative "rails_test_helper"

# Active Record's datetime columns are ActiveSupport::TimeWithZone, which the
# extension refuses (it is not a Time); the Rails helpers send them as UTC.
class TestRailsZonedTimes < Minitest::Test
  include RailsAppRequests

  SECRET = RailsTestApp::SECRET
  User = Struct.new(:id, :email, :name)

  def test_a_time_with_zone_trait_is_rendered_as_the_same_instant_in_utc
    zoned = ActiveSupport::TimeZone["Pacific/Auckland"].local(2024, 3, 1, 9, 30, 15)
    assert_instance_of ActiveSupport::TimeWithZone, zoned
    user = User.new(7, "z@example.com", "Zed")
    call = RefinerIdentity::Rails::Identify.render(user, traits: { seen: zoned, plan: "pro" }) do |fields|
      RefinerIdentity::Rails.signer.identify_call(fields[:id], email: fields[:email], name: fields[:name],
                                                               traits: fields[:traits])
    end
    expected = ChannelsReference.identify_call(SECRET, 7, email: "z@example.com", name: "Zed",
                                                          traits: { seen: Time.utc(2024, 2, 29, 20, 30, 15), plan: "pro" })
    assert_equal expected, call
    assert_includes call, '"seen":"2024-02-29T20:30:15Z"'
  end

  # utc_times once rebuilt the Hash with to_h: a subclass's to_h chose the
  # traits, and a compare_by_identity Hash lost the duplicate name the core refuses.
  def test_utc_times_reads_the_hash_itself
    zoned = ActiveSupport::TimeZone["Asia/Tokyo"].at(1_700_000_000)
    hostile = Class.new(Hash) do
      def to_h(*) = { "plan" => "enterprise" }
      def each_pair(*) = nil
      def each(*) = nil
      def each_value(*) = nil
      def compare_by_identity? = true
    end.new
    hostile[:seen] = zoned
    hostile[:plan] = "free"
    converted = RefinerIdentity::Rails::Identify.utc_times(hostile)
    assert_equal({ seen: Time.utc(2023, 11, 14, 22, 13, 20), plan: "free" }, converted)
    assert_instance_of Time, converted[:seen]
    refute_predicate converted, :compare_by_identity?

    by_identity = {}.compare_by_identity
    by_identity[+"plan"] = "free"
    by_identity[+"plan"] = "pro"
    by_identity[:seen] = zoned
    converted = RefinerIdentity::Rails::Identify.utc_times(by_identity)
    assert_predicate converted, :compare_by_identity?
    assert_equal [["plan", "free"], ["plan", "pro"], [:seen, Time.utc(2023, 11, 14, 22, 13, 20)]], converted.to_a
    error = assert_raises(RefinerIdentity::InvalidTraitError) do
      RefinerIdentity::Rails.signer.identify_call(1, traits: converted)
    end
    assert_match(/invalid trait "plan".*twice/, error.message)

    plain = { plan: "pro" }
    assert_same plain, RefinerIdentity::Rails::Identify.utc_times(plain)
  end

  def test_the_extension_itself_still_refuses_a_time_with_zone
    zoned = ActiveSupport::TimeZone["UTC"].now
    error = assert_raises(RefinerIdentity::InvalidTraitError) do
      RefinerIdentity::Rails.signer.identify_call(1, traits: { seen: zoned })
    end
    assert_match(/invalid trait "seen".*ActiveSupport::TimeWithZone/, error.message)
  end
end
