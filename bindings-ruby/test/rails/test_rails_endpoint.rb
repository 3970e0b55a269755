# frozen_string_literal: true

require_relative "rails_test_helper"

# RefinerIdentity::Rails::IdentifyEndpoint in the test app's RefinerController.
class TestRailsEndpoint < Minitest::Test
  include RailsAppRequests

  SECRET = RailsTestApp::SECRET

  def test_logged_in_user_gets_the_reference_payload_never_cached
    %w[ada hostile].each do |login|
      response = get_as(login, "/refiner/identify")
      assert_equal 200, response.status
      assert_equal "application/json; charset=utf-8", response.headers["Content-Type"]
      assert_equal "no-store", response.headers["Cache-Control"]
      expected = JSON.parse(ChannelsReference.identify_payload_json(SECRET, user(login).id, **reference_identity(login)))
      assert_equal expected, JSON.parse(response.body)
      assert_equal OpenSSL::HMAC.hexdigest("sha256", SECRET, user(login).id.to_s), JSON.parse(response.body)["signature"]
    end
  end

  def test_anonymous_and_unsaved_users_get_401
    [nil, "nobody", "unsaved", "no_id"].each do |login|
      response = get_as(login, "/refiner/identify")
      assert_equal 401, response.status, login.inspect
      assert_equal({ "error" => "anonymous" }, JSON.parse(response.body))
      assert_equal "no-store", response.headers["Cache-Control"]
    end
  end

  def test_a_refused_user_gets_500_with_the_error_kind_and_one_warning
    { "bad_trait" => %w[InvalidTraitError traits.plan], "bad_id" => %w[InvalidUserIdError id],
      "float_id" => %w[TypeError id] }.each do |login, (kind, field)|
      log = logged_during { get_as(login, "/refiner/identify") }
      assert_equal 500, last_response.status
      assert_equal({ "error" => kind, "field" => field }, JSON.parse(last_response.body))
      assert_equal "no-store", last_response.headers["Cache-Control"]
      assert_equal 1, log.lines.grep(/refiner_identity: user not identified \(#{Regexp.escape(field)}\)/).size, log
    end
  end
end
