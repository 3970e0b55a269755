# frozen_string_literal: true

require_relative "rails_test_helper"

# README.md's Rails section shows the test app's own code, verbatim.
class TestRailsReadme < Minitest::Test
  README = File.read(File.expand_path("../../../README.md", __dir__))

  def app_file(path)
    File.read(File.join(RailsTestApp::APP_DIR, path))
  end

  def app_lines(path, pattern, count = 1)
    lines = app_file(path).lines
    start = lines.index { |line| line.match?(pattern) }
    refute_nil start, "#{path} has no line matching #{pattern.inspect}"
    lines[start, count].join
  end

  def test_readme_shows_the_test_apps_code
    snippets = {
      "controller" => app_file("app/controllers/refiner_controller.rb"),
      "layout" => app_lines("app/views/layouts/application.html.erb", /refiner_identify_user_tag/),
      "survey link" => app_lines("app/views/pages/survey.html.erb", /link_to/),
      "route" => app_lines("config/routes.rb", %r{refiner/identify}),
      "CSP" => app_lines("config/application.rb", /config\.content_security_policy do/, 5)
    }
    snippets.each { |name, code| assert_includes README, code, "README.md's Rails section: the #{name}" }
  end
end
