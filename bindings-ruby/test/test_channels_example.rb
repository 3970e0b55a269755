# frozen_string_literal: true

require "test_helper"
require "channels_reference"
require "open3"
require "rbconfig"

# examples/channels.rb (the README's Ruby channel example) runs and prints
# exactly what the standard-library reference renders for its user.
class TestChannelsExample < Minitest::Test
  EXAMPLE = File.expand_path("../examples/channels.rb", __dir__)
  KEY = "demo-secret"

  def test_example_prints_the_reference_output
    lib = File.expand_path("../lib", __dir__)
    out, err, status = Open3.capture3({ "REFINER_SECRET_KEY" => KEY }, RbConfig.ruby, "-I", lib, EXAMPLE)
    assert status.success?, err
    user = {
      email: "ada@example.com", name: "Ada </script> Lovelace",
      traits: { plan: "pro", seats: 5, signed_up: Date.new(2024, 1, 15), last_seen: Time.utc(2024, 6, 1, 12, 30) }
    }
    ref = ChannelsReference
    expected = [
      ref.identify_call(KEY, 42, **user),
      ref.script_tag(KEY, 42, nonce: "r4nd0m", **user),
      JSON.parse(ref.identify_payload_json(KEY, 42, **user)).inspect,
      JSON.parse(ref.gtm_traits_json(KEY, 42, **user)).inspect,
      ref.gtm_script_tag(KEY, 42, **user),
      ref.survey_link(KEY, "https://survey.refiner.io/s/abc123?source=email", 42, **user,
                      locale: "en", tags: %w[beta onboarding], response: { campaign: "spring" }),
      ref.survey_link(KEY, "https://survey.refiner.io/s/abc123", 42),
      ref.survey_link(KEY, "https://survey.refiner.io/s/abc123", "user-7", email: "grace@example.com")
    ]
    assert_equal expected, out.lines(chomp: true)
  end
end
