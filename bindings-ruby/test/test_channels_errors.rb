# frozen_string_literal: true

require "test_helper"

# Every bad input of the renderers: the right error class, a message naming
# the field, and never the secret (a canary key) in a message or inspect.
class TestChannelsErrors < Minitest::Test
  include TestHelper

  CANARY = "canary-secret-3f9d1c7e-never-print-me"
  URL = "https://survey.example.com/s"

  def setup
    @signer = RefinerIdentity::Signer.new(CANARY)
    @messages = []
  end

  def teardown
    (@messages + [@signer.inspect, @signer.to_s]).each do |message|
      refute_includes message, CANARY
      refute_includes message, CANARY[0, 16]
    end
  end

  # Every identity renderer called with the same identity keywords.
  def renderers
    {
      identify_call: ->(id, **kw) { @signer.identify_call(id, **kw) },
      script_tag: ->(id, **kw) { @signer.script_tag(id, **kw) },
      identify_payload: ->(id, **kw) { @signer.identify_payload(id, **kw) },
      gtm_traits: ->(id, **kw) { @signer.gtm_traits(id, **kw) },
      gtm_script_tag: ->(id, **kw) { @signer.gtm_script_tag(id, **kw) },
      survey_link: ->(id, **kw) { @signer.survey_link(URL, id, **kw) },
      survey_links: ->(id, **kw) { @signer.survey_links(URL, [{ id: "fine" }, kw.merge(id: id)]) }
    }
  end

  def assert_error(klass, pattern, &block)
    error = assert_raises(klass, &block)
    @messages << error.message << error.inspect << error.full_message
    assert_match pattern, error.message
    error
  end

  def assert_identity_error(klass, pattern, user_id = "u", **keywords)
    renderers.each do |name, render|
      error = assert_error(klass, pattern) { render.call(user_id, **keywords) }
      assert_match(/\bindex 1\b/, error.message, name) if name == :survey_links && klass < RefinerIdentity::Error
    end
  end

  def test_bad_trait_names
    ["1abc", "a-b", "", "é", "a b", "x" * 101, "white space"].each do |name|
      assert_identity_error(RefinerIdentity::InvalidTraitError, /trait .*name/, traits: { name => 1 })
    end
    %w[id email name signature identify_verification_signature].each do |name|
      assert_identity_error(RefinerIdentity::InvalidTraitError, /trait "#{name}".*not traits/, traits: { name.to_sym => "x" })
    end
    assert_identity_error(RefinerIdentity::InvalidTraitError, /trait "plan".*twice/, traits: { plan: 1, "plan" => 2 })
    [1, 2.5, nil, Object.new, [1]].each do |key|
      assert_identity_error(RefinerIdentity::InvalidTraitError, /invalid trait .*name must match/, traits: { key => "x" })
    end
  end

  def test_integers_out_of_refiners_range
    [2_147_483_648, -2_147_483_648, 2**64, -(2**64), 10**100].each do |value|
      assert_identity_error(RefinerIdentity::InvalidTraitError, /trait "n".*-2147483647 to 2147483647/, traits: { n: value })
    end
  end

  def test_unsupported_trait_types_name_the_trait_and_the_type
    { true => /not true/, false => /not false/, 1.5 => /not Float/, [1] => /not Array/, { a: 1 } => /not Hash/,
      sym: /not Symbol/, 1r => /not Rational/, Object.new => /not Object/, (1..2) => /not Range/ }.each do |value, type|
      assert_identity_error(RefinerIdentity::InvalidTraitError, /trait "bad".*text, integers, dates and timestamps.*/, traits: { bad: value })
      assert_identity_error(RefinerIdentity::InvalidTraitError, type, traits: { bad: value })
    end
  end

  def test_email_and_name_must_be_strings
    [1, :sym, true, ["a"], 1.0].each do |value|
      assert_identity_error(RefinerIdentity::InvalidTraitError, /invalid email: .*not #{value.class == TrueClass ? 'true' : value.class}/, email: value)
      assert_identity_error(RefinerIdentity::InvalidTraitError, /invalid name: /, name: value)
    end
  end

  def test_text_limits
    assert_identity_error(RefinerIdentity::InvalidTraitError, /trait "bio".*10,000/, traits: { bio: "x" * 10_001 })
    assert_identity_error(RefinerIdentity::InvalidTraitError, /trait "bio".*10,000/, traits: { bio: "😀" * 10_001 })
    assert_identity_error(RefinerIdentity::InvalidTraitError, /invalid name: .*10,000/, name: "é" * 10_001)
    @signer.identify_call("u", traits: { bio: "😀" * 10_000 }) # counted in characters, not bytes
  end

  def test_dates_and_times_out_of_range
    [Date.new(10_000, 1, 1), Date.new(0, 12, 31), Date.new(-5, 1, 1)].each do |date|
      assert_identity_error(RefinerIdentity::InvalidTraitError, /trait "d".*date.*years 1 to 9999/, traits: { d: date })
    end
    [Time.at(253_402_300_800), Time.utc(0, 12, 31, 23, 59, 59), Time.at(2**70), Time.at(-(2**70)),
     DateTime.new(10_000, 1, 1), DateTime.new(1, 1, 1, 0, 0, 0, "+01:00")].each do |time|
      assert_identity_error(RefinerIdentity::InvalidTraitError, /trait "t".*timestamp.*years 1 to 9999/, traits: { t: time })
    end
  end

  def test_strings_invalid_in_their_encoding
    { "\xff\xfe".dup.force_encoding(Encoding::UTF_8) => /not valid UTF-8/,
      "caf\xC3".dup.force_encoding(Encoding::UTF_8) => /not valid UTF-8/,
      "\xE9t\xE9".dup.force_encoding(Encoding::US_ASCII) => /not valid US-ASCII/,
      "\xff".b => /ASCII-8BIT.*cannot be converted to UTF-8/,
      "\xD8\x00".dup.force_encoding(Encoding::UTF_16BE) => /not valid UTF-16BE/,
      "\x81".dup.force_encoding(Encoding::Shift_JIS) => /not valid Shift_JIS/ }.each do |text, pattern|
      assert_identity_error(RefinerIdentity::InvalidTraitError, /trait "t".*#{pattern}/, traits: { t: text })
      assert_identity_error(RefinerIdentity::InvalidTraitError, /invalid email: .*#{pattern}/, email: text)
    end
  end

  def test_user_ids
    assert_identity_error(RefinerIdentity::InvalidUserIdError, /not valid UTF-8/, "\xff\xfe".b)
    assert_identity_error(RefinerIdentity::InvalidUserIdError, /non-empty/, "")
    [nil, :sym, 1.5, [1], Object.new].each do |bad|
      renderers.each_value do |render|
        assert_error(TypeError, /String or an Integer/) { render.call(bad) }
      end
    end
  end

  # The renderers write a String id's signed bytes as UTF-8 text: another
  # encoding would show other text (UTF-16LE "abc" as "a\u0000b\u0000c\u0000",
  # ISO-8859-1 "Ã©" as "é"), even when its bytes happen to be ASCII or UTF-8.
  def test_user_ids_in_other_encodings_are_refused
    ["abc".encode(Encoding::UTF_16LE), "José".encode(Encoding::ISO_8859_1), "Ã©".encode(Encoding::ISO_8859_1),
     "abc".encode(Encoding::Shift_JIS), "\xE3\x81\x82".dup.force_encoding(Encoding::Shift_JIS)].each do |id|
      pattern = /\Ainvalid user id( at index 1)?: the id is a String in #{id.encoding}; .*pass the id encoded as UTF-8\z/
      assert_identity_error(RefinerIdentity::InvalidUserIdError, pattern, id)
      # sign signs its bytes, as OpenSSL::HMAC does.
      assert_equal reference(CANARY, id), @signer.sign(id)
      assert_equal [reference(CANARY, id)], @signer.sign_many([id])
    end
  end

  def test_traits_and_response_must_be_hashes
    [[], "a=1", 1, Object.new].each do |bad|
      renderers.each do |name, render|
        error = assert_error(TypeError, /traits must be a Hash, not #{bad.class}/) { render.call("u", traits: bad) }
        assert_match(/identities\[1\]/, error.message) if name == :survey_links
      end
      assert_error(TypeError, /response must be a Hash/) { @signer.survey_link(URL, "u", response: bad) }
    end
  end

  def test_bad_nonces_are_never_echoed
    ["a b", "<x>", "a" * 257, "", "x\"onload=\"alert(1)", "é", "a\nb"].each do |nonce|
      [:script_tag, :gtm_script_tag].each do |renderer|
        error = assert_error(RefinerIdentity::InvalidOptionError, /invalid nonce: .*1 to 256 characters/) do
          @signer.public_send(renderer, "u", nonce: nonce)
        end
        refute_includes error.message, nonce unless nonce.empty? || nonce == "é"
      end
    end
    [1, :abc, ["a"]].each do |nonce|
      assert_error(RefinerIdentity::InvalidOptionError, /invalid nonce: expected a String or nil, not #{nonce.class}/) do
        @signer.script_tag("u", nonce: nonce)
      end
    end
  end

  def test_bad_tags_and_locales
    assert_error(RefinerIdentity::InvalidOptionError, /invalid tags\[1\]: .*comma/) { @signer.survey_link(URL, "u", tags: %w[a b,c]) }
    assert_error(RefinerIdentity::InvalidOptionError, /invalid tags\[0\]: .*empty/) { @signer.survey_link(URL, "u", tags: [""]) }
    assert_error(RefinerIdentity::InvalidOptionError, /invalid tags\[2\]: expected a String, not Symbol/) do
      @signer.survey_link(URL, "u", tags: ["a", "b", :c])
    end
    assert_error(RefinerIdentity::InvalidOptionError, /invalid tags: expected a String, an Array of Strings or nil, not Hash/) do
      @signer.survey_link(URL, "u", tags: { a: 1 })
    end
    assert_error(RefinerIdentity::InvalidOptionError, /invalid locale: expected a String or nil, not Symbol/) do
      @signer.survey_link(URL, "u", locale: :en)
    end
  end

  def test_bad_response_values
    assert_error(RefinerIdentity::InvalidTraitError, /response value "a-b".*name must match/) do
      @signer.survey_link(URL, "u", response: { "a-b" => 1 })
    end
    assert_error(RefinerIdentity::InvalidTraitError, /response value "r".*not Float/) { @signer.survey_link(URL, "u", response: { r: 1.5 }) }
  end

  def test_bad_urls
    ["ftp://example.com/s", "/relative/path", "example.com/s", "https://user@example.com/", "https://user:pw@example.com/",
     "https:///path", "https://example.com:port/", "https://exa mple.com/", "https://example.com/é", ""].each do |url|
      assert_error(RefinerIdentity::InvalidOptionError, /invalid survey url: /) { @signer.survey_link(url, "u") }
      assert_error(RefinerIdentity::InvalidOptionError, /invalid survey url: /) { @signer.survey_links(url, [{ id: "u" }]) }
    end
    %w[contact_id contact_email signature].each do |name|
      assert_error(RefinerIdentity::InvalidOptionError, /already has a #{name} parameter/) do
        @signer.survey_link("https://example.com/s?x=1&#{name}=7", "u")
      end
    end
    assert_error(RefinerIdentity::InvalidOptionError, /already has a contact_plan parameter/) do
      @signer.survey_link("https://example.com/s?contact_plan=a", "u", traits: { plan: "b" })
    end
    [nil, :url, 1, URI_LIKE.new].each do |url|
      assert_error(TypeError, /url must be a String, not/) { @signer.survey_link(url, "u") }
      assert_error(TypeError, /url must be a String, not/) { @signer.survey_links(url, []) }
    end
  end

  # Converts to a URL string only through methods, which the gem never calls.
  URI_LIKE = Class.new do
    def to_s = "https://example.com/s"
    def to_str = to_s
  end

  def test_unknown_keywords_are_argument_errors
    assert_raises(ArgumentError) { @signer.identify_call("u", trait: {}) }
    assert_raises(ArgumentError) { @signer.script_tag("u", none: "x") }
    assert_raises(ArgumentError) { @signer.survey_link(URL, "u", tag: "x") }
  end
end
