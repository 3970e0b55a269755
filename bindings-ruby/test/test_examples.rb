# frozen_string_literal: true

require "test_helper"

# The README's Rails helper example runs, and the README shows it verbatim.
class TestExamples < Minitest::Test
  include TestHelper

  EXAMPLE = File.expand_path("../examples/refiner_helper.rb", __dir__)
  README = File.expand_path("../../README.md", __dir__)

  def test_readme_shows_the_example_verbatim
    assert_includes File.read(README), File.read(EXAMPLE)
  end

  def test_helper_signs_the_current_user
    ENV["REFINER_SECRET_KEY"] = "rails-example-key"
    load EXAMPLE
    view = Class.new do
      include RefinerHelper

      def current_user
        Struct.new(:id).new(4711)
      end
    end.new
    assert_equal reference("rails-example-key", "4711"), view.refiner_signature
  end
end
