# frozen_string_literal: true

# A minimal Rails application for the integration's tests, booted in-process
# (test/rails/) and by the boot-error tests in their own processes. No
# database: the users live in app/models/user.rb.
require "action_controller/railtie"
require "action_view/railtie"
require "refiner_identity" # as Bundler.require would, after Rails: loads the Railtie

module RailsApp
  class Application < Rails::Application
    config.root = File.expand_path("..", __dir__)
    config.eager_load = false
    config.cache_classes = true
    config.secret_key_base = "test-app-session-secret-not-the-refiner-key-0123456789abcdef"
    config.hosts.clear
    # The debug error page, searched for the key by the tests.
    config.consider_all_requests_local = true
    config.action_dispatch.show_exceptions = true
    config.logger = ActiveSupport::Logger.new(ENV.fetch("RAILS_APP_LOG", File::NULL))
    config.log_level = :debug

    # The tests pick the key's source: encrypted credentials in a temporary
    # directory, ENV["REFINER_SECRET_KEY"], or config/initializers/refiner_identity.rb.
    if ENV["RAILS_APP_CREDENTIALS"]
      config.credentials.content_path = File.join(ENV["RAILS_APP_CREDENTIALS"], "credentials.yml.enc")
      config.credentials.key_path = File.join(ENV["RAILS_APP_CREDENTIALS"], "master.key")
    end

    config.content_security_policy do |policy|
      policy.default_src :self
      policy.script_src :self # Rails adds the request's 'nonce-...'
    end
    config.content_security_policy_nonce_generator = ->(_request) { SecureRandom.base64(16) }
  end
end
