# frozen_string_literal: true

require_relative "rails_test_helper"

# The key never reaches what a view can see, the log or the debug error page.
class TestRailsSecret < Minitest::Test
  include RailsAppRequests

  SECRET = RailsTestApp::SECRET

  def test_key_is_not_in_the_views_context
    page = get_as("ada", "/context").body
    assert_includes page, "@view_renderer=", "the page dumps the view's instance variables"
    refute_includes page, SECRET
  end

  def test_key_is_not_on_the_debug_error_page
    log = logged_during { get_as("ada", "/boom") }
    assert_equal 500, last_response.status
    page = last_response.body
    assert_includes page, "boom: an error page for the test", "Rails' debug page, with the exception"
    assert_includes page, "refiner_identify_user_tag", "the page shows the template's source"
    refute_includes page, SECRET
    refute_includes log, SECRET
  end

  def test_key_is_not_in_the_log
    %w[ada hostile bad_trait bad_id unsaved].each do |login|
      get_as(login, "/")
      get_as(login, "/refiner/identify")
    end
    assert_includes log_text, "Processing by RefinerController#identify"
    refute_includes log_text, SECRET
  end

  def test_signer_inspect_is_redacted
    refute_includes RefinerIdentity::Rails.signer.inspect, SECRET
    assert RefinerIdentity::Rails.signer.frozen?
  end
end
