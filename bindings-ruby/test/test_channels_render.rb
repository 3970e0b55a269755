# frozen_string_literal: true

require "test_helper"
require "channels_cases"
require "channels_reference"

# Every renderer against the standard-library reference, byte for byte.
class TestChannelsRender < Minitest::Test
  include TestHelper

  RANDOM_CASES = 400

  def setup
    @signer = RefinerIdentity::Signer.new(SECRET)
  end

  def identities
    rng = Random.new(20_240_610)
    ChannelsCases.hostile_identities + Array.new(RANDOM_CASES) { ChannelsCases.random_identity(rng) }
  end

  def each_identity
    identities.each do |identity|
      user_id = identity.fetch(:user_id)
      keywords = identity.except(:user_id)
      yield user_id, keywords, "#{user_id.inspect[0, 60]} #{keywords.inspect[0, 200]}"
    end
  end

  def test_identify_call
    each_identity do |user_id, keywords, label|
      assert_equal ChannelsReference.identify_call(SECRET, user_id, **keywords), @signer.identify_call(user_id, **keywords), label
    end
  end

  def test_script_tags_with_and_without_nonce
    each_identity do |user_id, keywords, label|
      [nil, "r4nd0m+/=_-", "x" * 256].each do |nonce|
        assert_equal ChannelsReference.script_tag(SECRET, user_id, nonce: nonce, **keywords),
                     @signer.script_tag(user_id, nonce: nonce, **keywords), label
        assert_equal ChannelsReference.gtm_script_tag(SECRET, user_id, nonce: nonce, **keywords),
                     @signer.gtm_script_tag(user_id, nonce: nonce, **keywords), label
      end
    end
  end

  def test_payload_and_gtm_traits_are_the_parsed_reference_json
    each_identity do |user_id, keywords, label|
      payload = @signer.identify_payload(user_id, **keywords)
      assert_equal JSON.parse(ChannelsReference.identify_payload_json(SECRET, user_id, **keywords)), payload, label
      assert_equal %w[user signature], payload.keys
      assert_equal ChannelsReference.identify_payload_json(SECRET, user_id, **keywords), ChannelsReference.json(payload)
      gtm = @signer.gtm_traits(user_id, **keywords)
      assert_equal ChannelsReference.gtm_traits_json(SECRET, user_id, **keywords), ChannelsReference.json(gtm), label
      assert_equal "identify_verification_signature", gtm.keys.last
    end
  end

  def test_survey_links
    rng = Random.new(7)
    each_identity do |user_id, keywords, label|
      url = ChannelsCases::BASE_URLS.sample(random: rng)
      options = ChannelsCases.random_link_options(rng)
      assert_equal ChannelsReference.survey_link(SECRET, url, user_id, **keywords, **options),
                   @signer.survey_link(url, user_id, **keywords, **options), "#{url} #{options.inspect} #{label}"
    end
  end

  def test_known_output
    # Written out by hand from SPEC.md section 9, so the reference itself is checked once.
    sig = reference(SECRET, "42")
    traits = { plan: "</script>", seats: 5, since: Date.new(2024, 1, 15), seen: Time.utc(2024, 6, 1, 12, 30, 5) }
    assert_equal '_refiner(\'identifyUser\',{"id":"42","email":"a@b.co","plan":"\u003c/script\u003e","seats":5,' \
                 '"since":"2024-01-15","seen":"2024-06-01T12:30:05Z"},{"signature":"' + sig + '"});',
                 @signer.identify_call(42, email: "a@b.co", traits: traits)
    assert_equal "https://s.io/x?a=1&contact_id=42&signature=#{sig}&contact_name=A%20%26%20B&contact_seen=2024-06-01T12%3A30%3A05Z" \
                 "&locale=en&tags=x%2Cy&response_q=%C3%A9#top",
                 @signer.survey_link("https://s.io/x?a=1#top", 42, name: "A & B", traits: { seen: traits[:seen] },
                                                                   locale: "en", tags: %w[x y], response: { q: "é" })
  end

  def test_dates_keep_their_civil_fields_in_every_calendar
    dates = ChannelsCases::CALENDARS.flat_map do |calendar|
      [[1582, 10, 4], [1582, 10, 15], [1752, 9, 2], [1752, 9, 14], [1, 1, 1], [9999, 12, 31], [1000, 2, 29], [2000, 2, 29]].filter_map do |ymd|
        Date.new(*ymd, calendar) if Date.valid_civil?(*ymd, calendar) && Date.valid_civil?(*ymd, Date::GREGORIAN)
      end
    end
    # A Julian leap day that the Gregorian calendar lacks is no date SPEC.md can write.
    assert_raises(RefinerIdentity::InvalidTraitError) { @signer.identify_call("u", traits: { d: Date.new(1000, 2, 29) }) }
    assert_raises(RefinerIdentity::InvalidTraitError) { @signer.identify_call("u", traits: { d: DateTime.new(1000, 2, 29, 12) }) }
    traits = dates.each_with_index.to_h { |date, index| ["d#{index}", date] }
    payload = @signer.identify_payload("u", traits: traits)
    dates.each_with_index { |date, index| assert_equal date.strftime("%Y-%m-%d"), payload["user"]["d#{index}"], date.inspect }
    assert_operator dates.size, :>, 30
  end

  def test_symbol_and_string_names_keep_insertion_order
    traits = { "b" => 1, a: 2, "c" => 3, Z: 4 }
    assert_equal %w[id b a c Z], @signer.gtm_traits("u", traits: traits).keys.first(5)
  end

  def test_strings_in_other_encodings_are_transcoded
    text = "José ünïcödé"
    [Encoding::ISO_8859_1, Encoding::UTF_16LE, Encoding::UTF_16BE, Encoding::Windows_1252, Encoding::UTF_8].each do |encoding|
      encoded = text.encode(encoding)
      assert_equal ChannelsReference.identify_call(SECRET, "u", name: text, traits: { t: text }),
                   @signer.identify_call("u", name: encoded, traits: { t: encoded }), encoding.to_s
    end
    japanese = "日本語".encode(Encoding::Shift_JIS)
    assert_equal ChannelsReference.survey_link(SECRET, "https://x.io", "u", traits: { t: "日本語" }),
                 @signer.survey_link("https://x.io", "u", traits: { t: japanese })
    ascii_binary = "plain".b
    assert_equal ChannelsReference.identify_call(SECRET, "u", traits: { t: "plain" }), @signer.identify_call("u", traits: { t: ascii_binary })
  end

  def test_the_id_is_shown_as_the_text_that_was_signed
    [42, -1, 0, 2**64, -(2**127), 10**45, "007", "١٢٣"].each do |id|
      payload = @signer.identify_payload(id)
      assert_equal ChannelsReference.id_text(id), payload["user"]["id"]
      assert_equal @signer.sign(id), payload["signature"]
      assert_equal reference(SECRET, payload["user"]["id"]), payload["signature"]
    end
  end

  def test_empty_and_missing_optionals
    assert_equal ChannelsReference.identify_call(SECRET, "u"), @signer.identify_call("u", traits: nil)
    assert_equal ChannelsReference.identify_call(SECRET, "u"), @signer.identify_call("u", traits: { gone: nil })
    assert_equal ChannelsReference.identify_call(SECRET, "u", email: "", name: ""), @signer.identify_call("u", email: "", name: "")
    base = "https://x.io/s"
    expected = ChannelsReference.survey_link(SECRET, base, "u")
    [{}, { locale: "" }, { tags: "" }, { tags: [] }, { response: nil }, { response: { r: nil } }, { locale: nil, tags: nil }].each do |options|
      assert_equal expected, @signer.survey_link(base, "u", **options), options.inspect
    end
  end

  def test_results_are_utf8_strings
    [@signer.identify_call("é"), @signer.script_tag("é"), @signer.gtm_script_tag("é"), @signer.survey_link("https://x.io", "é")].each do |out|
      assert_equal Encoding::UTF_8, out.encoding
      assert out.valid_encoding?
    end
  end
end
