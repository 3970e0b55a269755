# frozen_string_literal: true

require_relative "rails_test_helper"
require "cgi"
require "net/http"
require "open3"
require "rack/handler/webrick"
require "tmpdir"
require "webrick"

# The test app served by WEBrick on 127.0.0.1 (a free port) and loaded by
# headless Chromium: a stub _refiner records each call into the page, and the
# test reads the DOM Chromium dumps. The user's id, name and trait hold
# </script>, <!--, U+2028 and quotes.
class TestRailsBrowser < Minitest::Test
  SECRET = RailsTestApp::SECRET
  LOGIN = "hostile"

  def self.server
    @server ||= begin
      server = WEBrick::HTTPServer.new(BindAddress: "127.0.0.1", Port: 0, AccessLog: [],
                                       Logger: WEBrick::Log.new(File::NULL))
      server.mount "/", Rack::Handler::WEBrick, Rails.application
      thread = Thread.new { server.start }
      Minitest.after_run do
        server.shutdown
        thread.join
      end
      server
    end
  end

  def url(path)
    "http://127.0.0.1:#{self.class.server.config[:Port]}#{path}?login=#{LOGIN}"
  end

  # The DOM after the page's scripts ran, as Chromium serializes it.
  def dump_dom(path)
    Dir.mktmpdir("refiner-chromium") do |profile|
      # `timeout` only guards against a hung browser; nothing here is timed.
      out, err, status = Open3.capture3("timeout", "300", "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                                        "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=#{profile}",
                                        "--dump-dom", url(path))
      assert status.success?, "chromium failed: #{err}"
      out
    end
  end

  def recorded_calls(dom)
    text = dom[%r{<pre id="refiner-calls">(.*?)</pre>}m, 1]
    text.nil? ? [] : CGI.unescapeHTML(text).lines(chomp: true).map { |line| JSON.parse(line) }
  end

  def probe(dom)
    CGI.unescapeHTML(dom[%r{<pre id="probe">(.*?)</pre>}m, 1].to_s)
  end

  def expected_call
    u = User.find_by_login(LOGIN)
    signature = OpenSSL::HMAC.hexdigest("sha256", SECRET, u.id)
    ["identifyUser", { "id" => u.id, "email" => u.email, "name" => u.name, "plan" => u.plan }, { "signature" => signature }]
  end

  def csp_header(path)
    Net::HTTP.get_response(URI(url(path)))["Content-Security-Policy"]
  end

  def test_the_call_runs_under_the_nonce_csp_with_the_exact_arguments
    assert_match(/script-src 'self' 'nonce-[^']+'/, csp_header("/"))
    dom = dump_dom("/")
    assert_equal [expected_call], recorded_calls(dom)
    assert_equal "stub:function pwned:undefined", probe(dom)
  end

  def test_the_same_page_without_a_csp_makes_the_same_call
    assert_nil csp_header("/no_csp")
    dom = dump_dom("/no_csp")
    assert_equal [expected_call], recorded_calls(dom)
    assert_equal "stub:function pwned:undefined", probe(dom)
  end

  def test_a_tag_without_the_nonce_is_blocked_by_the_csp
    assert_match(/script-src 'self' 'nonce-[^']+'/, csp_header("/unnonced"))
    dom = dump_dom("/unnonced")
    assert_includes dom, "_refiner('identifyUser'", "the tag is on the page"
    assert_equal "stub:function pwned:undefined", probe(dom), "the nonced scripts ran"
    assert_empty recorded_calls(dom)
  end
end
