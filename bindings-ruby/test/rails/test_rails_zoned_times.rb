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

  def test_the_extension_itself_still_refuses_a_time_with_zone
    zoned = ActiveSupport::TimeZone["UTC"].now
    error = assert_raises(RefinerIdentity::InvalidTraitError) do
      RefinerIdentity::Rails.signer.identify_call(1, traits: { seen: zoned })
    end
    assert_match(/invalid trait "seen".*ActiveSupport::TimeWithZone/, error.message)
  end
end
