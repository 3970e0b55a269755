# frozen_string_literal: true

require_relative "rails_test_helper"
require "open3"
require "rbconfig"

# Where the key comes from, and a missing, empty or padded key stopping the
# boot with a message that never shows it: each case boots the app in its own
# process, as `rails server` would.
class TestRailsBoot < Minitest::Test
  BOOT = File.expand_path("boot_app.rb", __dir__)
  CLEAN_ENV = { "REFINER_SECRET_KEY" => nil, "RAILS_APP_CONFIG_KEY" => nil, "RAILS_APP_CREDENTIALS" => nil,
                "RAILS_APP_LOG" => nil, "RAILS_ENV" => "test" }.freeze

  def boot(env)
    out, err, status = Open3.capture3(CLEAN_ENV.merge(env), RbConfig.ruby, "-I", RailsTestApp::LIB_DIR, BOOT)
    [out.chomp, err, status]
  end

  def with_credentials(secret)
    Dir.mktmpdir do |dir|
      RailsTestApp.write_credentials(dir, secret)
      yield dir
    end
  end

  def signature(key)
    OpenSSL::HMAC.hexdigest("sha256", key, "42")
  end

  def assert_boot_fails(env, secret, *expected)
    out, err, status = boot(env)
    refute status.success?, "the app booted: #{out}"
    assert_includes err, "RefinerIdentity::InvalidSecretError"
    expected.each { |text| assert_includes err, text }
    refute_includes err, secret unless secret.strip.empty?
    assert_empty out
    err
  end

  def test_key_from_the_environment
    out, err, status = boot("REFINER_SECRET_KEY" => "env-key-1")
    assert status.success?, err
    assert_equal signature("env-key-1"), out
  end

  def test_credentials_come_before_the_environment
    with_credentials("credential-key-2") do |dir|
      out, err, status = boot("RAILS_APP_CREDENTIALS" => dir, "REFINER_SECRET_KEY" => "env-key-1")
      assert status.success?, err
      assert_equal signature("credential-key-2"), out
    end
  end

  def test_config_comes_before_credentials_and_environment
    with_credentials("credential-key-2") do |dir|
      out, err, status = boot("RAILS_APP_CREDENTIALS" => dir, "REFINER_SECRET_KEY" => "env-key-1",
                              "RAILS_APP_CONFIG_KEY" => "config-key-3")
      assert status.success?, err
      assert_equal signature("config-key-3"), out
    end
  end

  def test_missing_key_stops_the_boot
    err = assert_boot_fails({}, "", "refiner_identity: no secret key: set config.refiner_identity.secret_key, " \
                                    "the credential refiner_secret_key", "REFINER_SECRET_KEY")
    refute_includes err, "unusable"
  end

  # config.refiner_identity.secret_key = Rails.application.credentials.some_missing_name
  def test_a_nil_config_key_stops_the_boot_even_with_the_environment_set
    app = File.join(RailsTestApp::APP_DIR, "config/application.rb")
    code = "require #{app.dump}; Rails.application.config.refiner_identity.secret_key = nil; Rails.application.initialize!"
    _out, err, status = Open3.capture3(CLEAN_ENV.merge("REFINER_SECRET_KEY" => "env-key-1"), RbConfig.ruby,
                                       "-I", RailsTestApp::LIB_DIR, "-e", code)
    refute status.success?
    assert_includes err, "refiner_identity: the key from config.refiner_identity.secret_key is nil (RefinerIdentity::InvalidSecretError)"
  end

  def test_empty_key_stops_the_boot
    assert_boot_fails({ "REFINER_SECRET_KEY" => "" }, "", %(the key from ENV["REFINER_SECRET_KEY"]), "it is empty")
  end

  def test_padded_key_in_the_environment_stops_the_boot
    secret = "padded-env-key-#{SecureRandom.hex(8)}\n"
    assert_boot_fails({ "REFINER_SECRET_KEY" => secret }, secret.strip, %(ENV["REFINER_SECRET_KEY"]), "starts or ends with")
  end

  def test_padded_credential_stops_the_boot
    secret = " padded-credential-#{SecureRandom.hex(8)}"
    with_credentials(secret) do |dir|
      assert_boot_fails({ "RAILS_APP_CREDENTIALS" => dir }, secret.strip, "the credential refiner_secret_key",
                        "starts or ends with")
    end
  end

  def test_padded_config_key_stops_the_boot
    secret = "padded-config-#{SecureRandom.hex(8)}\t"
    assert_boot_fails({ "RAILS_APP_CONFIG_KEY" => secret, "REFINER_SECRET_KEY" => "env-key-1" }, secret.strip,
                      "config.refiner_identity.secret_key", "starts or ends with")
  end
end

# The script `make demo` can run prints the call the Rails page renders.
class TestRailsDemoScript < Minitest::Test
  SCRIPT = File.expand_path("print_identify_call.rb", __dir__)

  def test_prints_the_reference_identify_call
    out, err, status = Open3.capture3(TestRailsBoot::CLEAN_ENV.merge("REFINER_SECRET_KEY" => "demo-secret"),
                                      RbConfig.ruby, "-I", RailsTestApp::LIB_DIR, SCRIPT)
    assert status.success?, err
    expected = ChannelsReference.identify_call("demo-secret", 42, email: "ada@example.com", name: "Ada Lovelace",
                                                                  traits: { plan: "pro" })
    assert_equal "#{expected}\n", out
  end
end
