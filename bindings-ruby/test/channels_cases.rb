# frozen_string_literal: true

require "date"

# Identities for the channel tests: hostile fixed ones and seeded random ones.
module ChannelsCases
  HOSTILE_TEXTS = [
    "</script>", "<!--", "<script>alert(1)</script>", "\u2028\u2029", %("quotes" 'single'), "back\\slash\\",
    "emoji 😀 🏳️‍🌈", "nul\u0000and\u0001controls\u001f\u007f", "\b\f\n\r\t", "a&b<c>d", "/slashes/", "é ß 中文",
    "", " ", "%20+plus", "a=b&c=d#frag?x", "x" * 10_000, "😀" * 10_000
  ].freeze

  BASE_URLS = [
    "https://survey.refiner.io/s/abc", "https://example.com/s?source=email", "https://example.com/s?", "http://example.com",
    "https://example.com/s?a=1&", "https://example.com/s#section", "https://example.com/s?a=b%20c#frag", "https://[::1]:8443/x?y#z",
    "HTTPS://Example.COM:443/path/"
  ].freeze

  NAME_HEAD = [*"a".."z", *"A".."Z", "_"].freeze
  NAME_TAIL = (NAME_HEAD + [*"0".."9"]).freeze
  # Calendar reforms a Date can carry: its civil fields depend on it.
  CALENDARS = [Date::ITALY, Date::ENGLAND, Date::GREGORIAN, Date::JULIAN, 2_000_000].freeze
  RESERVED = %w[id email name signature identify_verification_signature].freeze
  TEXT_POOL = (HOSTILE_TEXTS.first(12).join + "abcdefghij0123456789 -._~!*'();:@&=+$,/?#[]").chars.freeze

  module_function

  def hostile_identities
    traits = {
      plan: "pro", "seats" => 2_147_483_647, negative: -2_147_483_647, zero: 0, signed_up: Date.new(2024, 2, 29),
      first_day: Date.new(1, 1, 1), last_day: Date.new(9999, 12, 31), seen: Time.at(1_700_000_000.75),
      before_epoch: Time.at(-0.5), zoned: Time.new(2024, 1, 1, 0, 30, 0, "+05:30"),
      date_time: DateTime.new(2020, 6, 1, 12, 34, 56.9r, "-07:00"), julian_date: Date.new(1000, 1, 1),
      julian_date_time: DateTime.new(1000, 1, 1, 23, 59, 59, "+01:00"), skipped: nil
    }
    HOSTILE_TEXTS.each_with_index.map do |text, index|
      { user_id: text.empty? ? "id-#{index}" : text, email: text, name: text, traits: { "t#{index}" => text } }
    end + [
      { user_id: 42, traits: traits },
      { user_id: -7, email: nil, name: nil, traits: {} },
      { user_id: 2**200, email: "a@example.com" },
      { user_id: "user-1", traits: { _: "underscore", A1_b2: 1, ("n" * 100) => "longest name" } },
      { user_id: "frozen".freeze, name: "shared substring of a long string"[10, 9] }
    ]
  end

  def random_name(rng)
    loop do
      name = NAME_HEAD.sample(random: rng) + Array.new(rng.rand(0..12)) { NAME_TAIL.sample(random: rng) }.join
      return name unless RESERVED.include?(name)
    end
  end

  def random_text(rng, max = 20)
    Array.new(rng.rand(0..max)) { TEXT_POOL.sample(random: rng) }.join
  end

  def random_value(rng)
    case rng.rand(7)
    when 0, 1 then random_text(rng)
    when 2 then rng.rand(-2_147_483_647..2_147_483_647)
    when 3 then Date.new(rng.rand(1..9999), rng.rand(1..12), rng.rand(1..28), CALENDARS.sample(random: rng))
    when 4 then Time.at(rng.rand(-62_135_596_800..253_402_300_799) + rng.rand.round(3))
    when 5 then DateTime.new(rng.rand(1..9998), rng.rand(1..12), rng.rand(1..28), rng.rand(0..23), rng.rand(0..59),
                             rng.rand(0..59), format("%+03d:00", rng.rand(-11..11)))
    else nil
    end
  end

  def random_named(rng, count)
    names = Array.new(count) { random_name(rng) }.uniq
    names.to_h { |name| [rng.rand(2).zero? ? name.to_sym : name, random_value(rng)] }
  end

  def random_identity(rng)
    identity = { user_id: rng.rand(3).zero? ? rng.rand(-10**12..10**12) : "u#{random_text(rng, 12)}" }
    identity[:email] = "#{random_text(rng, 8)}@example.com" if rng.rand(2).zero?
    identity[:name] = random_text(rng) if rng.rand(2).zero?
    identity[:traits] = random_named(rng, rng.rand(0..6)) if rng.rand(4).positive?
    identity
  end

  def random_link_options(rng)
    options = {}
    options[:locale] = ["en", "fr-CA", "", "pt_BR"].sample(random: rng) if rng.rand(2).zero?
    case rng.rand(4)
    when 0 then options[:tags] = random_text(rng, 10)
    when 1 then options[:tags] = Array.new(rng.rand(0..3)) { "tag#{random_text(rng, 5).delete(',')}x" }
    end
    options[:response] = random_named(rng, rng.rand(0..3)) if rng.rand(2).zero?
    options
  end
end
