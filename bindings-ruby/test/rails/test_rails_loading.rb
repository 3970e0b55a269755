# frozen_string_literal: true

require_relative "rails_test_helper"
require "open3"
require "rbconfig"

# How the integration is loaded, and that the gem ships it.
class TestRailsLoading < Minitest::Test
  GEM_DIR = File.expand_path("../..", __dir__)

  def ruby(code)
    out, err, status = Open3.capture3({ "REFINER_SECRET_KEY" => nil }, RbConfig.ruby, "-I", RailsTestApp::LIB_DIR, "-e", code)
    assert status.success?, err
    out
  end

  def test_require_refiner_identity_does_not_load_rails
    out = ruby('require "refiner_identity"; p [defined?(::Rails), defined?(::ActiveSupport), ' \
               '$LOADED_FEATURES.grep(%r{/(rails|railties|active_support|action_view)[/.]}).size]')
    assert_equal "[nil, nil, 0]\n", out
  end

  def test_require_refiner_identity_after_rails_loads_the_railtie
    out = ruby('require "rails"; require "refiner_identity"; p RefinerIdentity::Rails::Railtie < ::Rails::Railtie')
    assert_equal "true\n", out
  end

  def test_require_refiner_identity_rails_loads_rails_and_the_railtie
    out = ruby('require "refiner_identity/rails"; p [RefinerIdentity::Rails::Railtie.superclass, RefinerIdentity::Signer.name]')
    assert_equal "[Rails::Railtie, \"RefinerIdentity::Signer\"]\n", out
  end

  def test_the_app_got_the_helpers_from_the_railtie
    assert_includes ActionView::Base.ancestors, RefinerIdentity::Rails::ViewHelpers
  end

  def test_the_gem_ships_the_rails_files
    files = Dir.chdir(GEM_DIR) { Gem::Specification.load("refiner_identity.gemspec").files }
    rails_files = Dir.chdir(GEM_DIR) { Dir["lib/refiner_identity/rails.rb", "lib/refiner_identity/rails/*.rb"] }
    assert_operator rails_files.size, :>=, 6
    assert_empty rails_files - files
  end
end
