# frozen_string_literal: true

require_relative "rails_test_helper"

# refiner_identify_user_tag and refiner_survey_link in the test app's real
# views, compared with the stdlib reference (JSON + OpenSSL::HMAC).
class TestRailsViewHelpers < Minitest::Test
  include RailsAppRequests

  SECRET = RailsTestApp::SECRET

  def test_layout_renders_the_script_tag_with_the_requests_csp_nonce
    %w[ada hostile].each do |login|
      response = get_as(login, "/")
      assert_equal 200, response.status
      nonce = nonce_of(response)
      refute_nil nonce, "Rails' CSP header carries the request's nonce"
      expected = ChannelsReference.script_tag(SECRET, user(login).id, nonce: nonce, **reference_identity(login))
      assert_includes response.body, expected, login
      assert_equal 1, response.body.scan("_refiner('identifyUser'").size, login
    end
  end

  def test_without_a_csp_the_tag_still_carries_the_generated_nonce_and_the_same_call
    response = get_as("ada", "/no_csp")
    assert_nil response.headers["Content-Security-Policy"]
    assert_includes response.body, ChannelsReference.identify_call(SECRET, 42, **reference_identity("ada"))
  end

  def test_hostile_text_stays_inside_the_json
    body = get_as("hostile", "/").body
    refute_includes body, "<script>window.pwned"
    call = body[%r{_refiner\('identifyUser'.*?</script>}m]
    refute_nil call
    refute_includes call, "\u2028", "a raw U+2028 ends a line in older JavaScript parsers"
    refute_includes call, "<!--"
    assert_equal body.scan("<script").size, body.scan("</script>").size
  end

  def test_anonymous_and_unsaved_users_render_no_tag
    [nil, "nobody", "unsaved", "no_id"].each do |login|
      log = logged_during { assert_equal 200, get_as(login, "/").status }
      refute_includes last_response.body, "identifyUser", login.inspect
      refute_includes log, "refiner_identity", login.inspect
    end
  end

  def test_a_refused_trait_or_id_logs_one_warning_naming_the_field_and_renders_no_tag
    { "bad_trait" => "traits.plan", "bad_id" => "id", "float_id" => "id" }.each do |login, field|
      log = logged_during { assert_equal 200, get_as(login, "/").status }
      refute_includes last_response.body, "identifyUser", login
      assert_includes last_response.body, "Hello #{user(login).name}", "the page still renders"
      warnings = log.lines.grep(/refiner_identity/)
      assert_equal 1, warnings.size, log
      assert_includes warnings.first, "refiner_identity: user not identified (#{field}): "
      refute_includes log, SECRET
    end
  end

  # A user whose attributes answer differently on each read (a getter, another thread).
  class ShiftingUser
    attr_reader :reads

    def initialize
      @reads = Hash.new(0)
    end

    def persisted?
      @reads[:persisted?] += 1
      true
    end

    %i[id email name].each do |attribute|
      define_method(attribute) { "#{attribute}-#{@reads[attribute] += 1}" }
    end
  end

  def test_each_attribute_is_read_once_so_the_signature_matches_the_shown_id
    user = ShiftingUser.new
    html = ApplicationController.render(inline: "<%= refiner_identify_user_tag(user, traits: { plan: 'pro' }) %>",
                                        locals: { user: user })
    expected = ChannelsReference.script_tag(SECRET, "id-1", email: "email-1", name: "name-1", traits: { plan: "pro" })
    assert_equal expected, html
    assert_equal({ persisted?: 1, id: 1, email: 1, name: 1 }, user.reads)
  end

  def test_a_malformed_nonce_is_the_apps_error_not_the_users
    nonce = "bad nonce #{SecureRandom.hex(8)}" # built here: the debug page shows this file's source
    # Where Rails keeps the request's nonce once generated: this request's is malformed.
    get "/", {}, { "HTTP_X_TEST_USER" => "ada", "action_dispatch.content_security_policy_nonce" => nonce }
    assert_equal 500, last_response.status
    assert_includes last_response.body, "RefinerIdentity::InvalidOptionError"
    assert_includes last_response.body, "invalid nonce"
    refute_includes last_response.body, nonce
  end

  def test_survey_link_is_the_reference_link_html_escaped
    url = %(https://survey.refiner.io/s/abc123?src="quoted"<b>)
    page = get_as("ada", "/survey", url: url).body
    link = ChannelsReference.survey_link(SECRET, url, 42, email: "ada@example.com", name: "Ada Lovelace",
                                                          locale: "en", tags: %w[beta rails])
    assert_includes page, %(<a id="survey" href="#{ERB::Util.html_escape(link)}">)
    plain = ChannelsReference.survey_link(SECRET, "https://survey.refiner.io/s/abc123", 42,
                                          email: "ada@example.com", name: "Ada Lovelace")
    assert_includes page, %(href="#{ERB::Util.html_escape(plain)}"), "link_to does not escape it twice"
    refute_includes page, %(src="quoted")
  end

  def test_survey_link_renders_nothing_for_anonymous_users
    page = get_as(nil, "/survey").body
    refute_includes page, "contact_id"
    assert_includes page, %(<a id="survey" href="">)
  end
end
