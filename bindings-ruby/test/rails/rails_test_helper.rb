# frozen_string_literal: true

# Boots test/rails_app in this process (its own process: Rails' core
# extensions must not reach the other tests) with a random canary key in
# encrypted credentials, and logs to a file the tests read.
require "fileutils"
require "securerandom"
require "tmpdir"

module RailsTestApp
  # Random, so the key appears in no source file (the debug error page shows source).
  SECRET = "canary-#{SecureRandom.hex(20)}"
  DIR = Dir.mktmpdir("refiner-rails-test")
  LOG = File.join(DIR, "app.log")
  APP_DIR = File.expand_path("../rails_app", __dir__)
  LIB_DIR = File.expand_path("../../lib", __dir__)

  # Encrypted credentials holding +secret+ as refiner_secret_key, in +dir+.
  def self.write_credentials(dir, secret)
    require "active_support"
    require "active_support/encrypted_configuration"
    key_path = File.join(dir, "master.key")
    File.write(key_path, ActiveSupport::EncryptedConfiguration.generate_key)
    ActiveSupport::EncryptedConfiguration.new(
      config_path: File.join(dir, "credentials.yml.enc"), key_path: key_path,
      env_key: "RAILS_MASTER_KEY_UNUSED", raise_if_missing_key: true
    ).write({ "refiner_secret_key" => secret }.to_yaml)
  end
end

RailsTestApp.write_credentials(RailsTestApp::DIR, RailsTestApp::SECRET)
ENV["RAILS_ENV"] = "test"
ENV["RAILS_APP_CREDENTIALS"] = RailsTestApp::DIR
ENV["RAILS_APP_LOG"] = RailsTestApp::LOG
ENV.delete("REFINER_SECRET_KEY")
ENV.delete("RAILS_APP_CONFIG_KEY")
require_relative "../rails_app/config/environment"

require "minitest/autorun"
require "rack/test"
require "openssl"
require "channels_reference"

Minitest.after_run { FileUtils.remove_entry(RailsTestApp::DIR) }

# A run that collected no tests (a renamed file, a wrong glob) fails instead of passing.
Minitest.singleton_class.prepend(Module.new do
  def run(args = [])
    count = Minitest::Runnable.runnables.sum { |runnable| runnable.methods_matching(/\Atest_/).size }
    if count.zero?
      warn "test_rails: no tests were collected"
      return false
    end
    super
  end
end)

# Rack::Test against the booted application, logged in with X-Test-User.
module RailsAppRequests
  include Rack::Test::Methods

  def app
    Rails.application
  end

  def get_as(login, path, params = {})
    get path, params, login ? { "HTTP_X_TEST_USER" => login } : {}
    last_response
  end

  def user(login)
    User.find_by_login(login)
  end

  # The identity as the layout passes it, rendered by the stdlib reference.
  def reference_identity(login)
    u = user(login)
    { email: u.email, name: u.name, traits: { plan: u.plan } }
  end

  def log_text
    File.read(RailsTestApp::LOG)
  end

  # The log lines written while the block ran.
  def logged_during
    before = File.size(RailsTestApp::LOG)
    yield
    File.binread(RailsTestApp::LOG)[before..].force_encoding(Encoding::UTF_8)
  end

  def nonce_of(response)
    response.headers.fetch("Content-Security-Policy")[/'nonce-([^']+)'/, 1]
  end
end
