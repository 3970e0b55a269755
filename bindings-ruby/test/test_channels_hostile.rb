# frozen_string_literal: true

require "test_helper"
require "channels_reference"

# Hostile host objects: subclasses overriding readers, monkeypatched core
# methods, objects that only convert through methods. The renderers read
# values through the C API (or methods captured at load), so each renders
# the object's real value or is refused, never what an override says.
class TestChannelsHostile < Minitest::Test
  include TestHelper

  URL = "https://survey.example.com/s"

  LyingHash = Class.new(Hash) do
    def each(*) = { evil: "each" }.each { |pair| yield pair }
    def each_pair(*) = { evil: "each_pair" }.each_pair { |k, v| yield k, v }
    def [](*) = "index"
    def fetch(*) = "fetch"
    def keys = [:evil]
    def to_h = { evil: "to_h" }
    def to_hash = { evil: "to_hash" }
    def size = 99
  end

  LyingString = Class.new(String) do
    def to_s = "to_s"
    def to_str = "to_str"
    def encoding = Encoding::UTF_16LE
    def bytes = [0x41]
    def each_char(*) = "each_char"
    def length = 1
    def encode(*) = "encode"
    def valid_encoding? = true
  end

  LyingDate = Class.new(Date) do
    def year = 1999
    def mon = 9
    def month = 9
    def mday = 9
    def day = 9
    def strftime(*) = "1999-09-09"
    def iso8601 = "1999-09-09"
    def to_s = "1999-09-09"
    def jd = 0
    def start = Date::JULIAN
    def julian? = true
    def marshal_dump = [0, 0, 0, 0, 0, 0.0]
  end

  LyingDateTime = Class.new(DateTime) do
    def strftime(*) = "1999 09 09 09 09 09 +00:00:00"
    def to_time = Time.utc(1999)
    def hour = 9
  end

  LyingTime = Class.new(Time) do
    def to_i = 0
    def utc = Time.at(0)
    def getutc = Time.at(0)
    def strftime(*) = "1970"
    def year = 1970
  end

  LyingArray = Class.new(Array) do
    def [](*) = "evil"
    def each(*) = ["evil"].each { |item| yield item }
    def size = 1
    def length = 1
    def to_a = ["evil"]
    def to_ary = ["evil"]
    def join(*) = "evil"
  end

  def setup
    @signer = RefinerIdentity::Signer.new(SECRET)
  end

  def assert_renders_like(expected_keywords, given_keywords, user_id: "u")
    assert_equal ChannelsReference.identify_call(SECRET, user_id, **expected_keywords),
                 @signer.identify_call(user_id, **given_keywords)
    assert_equal ChannelsReference.survey_link(SECRET, URL, user_id, **expected_keywords),
                 @signer.survey_link(URL, user_id, **given_keywords)
    assert_equal [ChannelsReference.survey_link(SECRET, URL, user_id, **expected_keywords)],
                 @signer.survey_links(URL, [given_keywords.merge(id: user_id)])
  end

  def test_hash_subclass_overriding_every_reader
    traits = LyingHash.new.merge!(plan: "pro", seats: 3)
    hash = LyingHash[traits]
    assert_renders_like({ traits: { plan: "pro", seats: 3 } }, { traits: hash })
    response = LyingHash[q: "real"]
    assert_equal ChannelsReference.survey_link(SECRET, URL, "u", response: { q: "real" }),
                 @signer.survey_link(URL, "u", response: response)
  end

  def test_identity_hash_subclass_in_a_batch
    identity = LyingHash[id: "real-id", name: "Real", traits: LyingHash[a: 1]]
    assert_equal [ChannelsReference.survey_link(SECRET, URL, "real-id", name: "Real", traits: { a: 1 })],
                 @signer.survey_links(URL, [identity])
  end

  def test_hash_with_a_default_proc_and_compare_by_identity
    defaulted = Hash.new { |_, key| "default for #{key}" }.merge!(a: "x")
    assert_renders_like({ traits: { a: "x" } }, { traits: defaulted })
    identity_keyed = {}.compare_by_identity
    identity_keyed["plan".dup] = "a"
    assert_renders_like({ traits: { plan: "a" } }, { traits: identity_keyed })
  end

  def test_string_subclass_overriding_readers
    text = LyingString.new("réal </script>")
    assert_renders_like({ email: "réal </script>", name: "réal </script>", traits: { t: "réal </script>" } },
                        { email: text, name: text, traits: { t: text } })
    assert_equal ChannelsReference.survey_link(SECRET, URL, "u", tags: %w[réal x]),
                 @signer.survey_link(URL, "u", tags: [LyingString.new("réal"), LyingString.new("x")])
    assert_equal ChannelsReference.survey_link(SECRET, URL, "u", locale: "réal", tags: "réal"),
                 @signer.survey_link(URL, "u", locale: LyingString.new("réal"), tags: LyingString.new("réal"))
  end

  def test_string_subclass_as_a_trait_name
    assert_renders_like({ traits: { real_name: 1 } }, { traits: { LyingString.new("real_name") => 1 } })
  end

  def test_array_subclass_overriding_readers
    assert_equal ChannelsReference.survey_link(SECRET, URL, "u", tags: %w[a b]), @signer.survey_link(URL, "u", tags: LyingArray[*%w[a b]])
    assert_equal [ChannelsReference.survey_link(SECRET, URL, "x"), ChannelsReference.survey_link(SECRET, URL, "y")],
                 @signer.survey_links(URL, LyingArray[{ id: "x" }, { id: "y" }])
  end

  def test_date_time_and_datetime_subclasses_overriding_readers
    date = LyingDate.new(2024, 2, 29)
    date_time = LyingDateTime.new(2024, 2, 29, 23, 59, 58, "+01:00")
    time = LyingTime.at(1_700_000_000)
    assert_renders_like({ traits: { d: Date.new(2024, 2, 29), dt: DateTime.new(2024, 2, 29, 23, 59, 58, "+01:00"),
                                    t: Time.at(1_700_000_000) } },
                        { traits: { d: date, dt: date_time, t: time } })
  end

  def test_monkeypatched_date_time_and_time_methods
    expected = { d: Date.new(2024, 2, 29), dt: DateTime.new(2000, 1, 2, 3, 4, 5, "+00:00"), t: Time.at(1_700_000_000) }
    before = @signer.identify_call("u", traits: expected)
    assert_equal ChannelsReference.identify_call(SECRET, "u", traits: expected), before
    patched = { Date => %i[year mon mday strftime iso8601 jd start julian?], DateTime => %i[strftime to_time hour jd],
                Time => %i[to_i utc getutc strftime] }
    patched.each do |klass, names|
      names.each do |name|
        klass.alias_method(:"__hostile_#{name}", name)
        klass.define_method(name) { |*| raise "#{klass}##{name} was called" }
      end
    end
    assert_equal before, @signer.identify_call("u", traits: expected)
  ensure
    patched&.each do |klass, names|
      names.each do |name|
        klass.remove_method(name)
        klass.alias_method(name, :"__hostile_#{name}")
        klass.remove_method(:"__hostile_#{name}")
      end
    end
  end

  def test_objects_that_only_convert_through_methods_are_refused
    stringish = Class.new { def to_str = "text"; def to_s = "text" }.new
    integerish = Class.new { def to_int = 5; def to_i = 5 }.new
    timeish = Class.new { def to_time = Time.at(0); def iso8601 = "1970-01-01T00:00:00Z" }.new
    [stringish, integerish, timeish].each do |value|
      error = assert_raises(RefinerIdentity::InvalidTraitError) { @signer.identify_call("u", traits: { v: value }) }
      assert_match(/trait "v".*not #/, error.message)
      assert_raises(RefinerIdentity::InvalidTraitError) { @signer.identify_call("u", email: value) }
    end
    assert_raises(TypeError) { @signer.identify_call("u", traits: Class.new { def to_hash = { a: 1 } }.new) }
    assert_raises(TypeError) { @signer.survey_links(URL, [Class.new { def to_hash = { id: 1 } }.new]) }
    assert_raises(RefinerIdentity::InvalidOptionError) { @signer.survey_link(URL, "u", tags: Class.new { def to_ary = ["a"] }.new) }
  end

  def test_patched_integer_methods_change_nothing
    expected = ChannelsReference.identify_call(SECRET, "u", traits: { n: 7, m: -2_147_483_647 })
    Integer.alias_method(:__hostile_to_s, :to_s)
    Integer.define_method(:to_s) { |*| "666" }
    assert_equal expected, @signer.identify_call("u", traits: { n: 7, m: -2_147_483_647 })
  ensure
    Integer.remove_method(:to_s)
    Integer.alias_method(:to_s, :__hostile_to_s)
    Integer.remove_method(:__hostile_to_s)
  end

  def test_frozen_and_shared_strings
    long = "prefix-#{'x' * 100}-the-trait-value-suffix"
    shared = long[108, 15]
    assert_renders_like({ traits: { s: "the-trait-value" }, name: "frozen" }, { traits: { s: shared }, name: "frozen".freeze })
  end

  def test_gc_stress_during_rendering
    identity = { email: "a@b.c", traits: { d: Date.new(2024, 1, 1), t: Time.at(0), n: 1, s: "x" * 100 } }
    expected = ChannelsReference.identify_call(SECRET, "u", **identity)
    expected_links = Array.new(3) { ChannelsReference.survey_link(SECRET, URL, "u", **identity) }
    GC.stress = true
    got = @signer.identify_call("u", **identity)
    links = @signer.survey_links(URL, Array.new(3) { identity.merge(id: "u") })
    GC.stress = false
    assert_equal expected, got
    assert_equal expected_links, links
  ensure
    GC.stress = false
  end

  def test_strings_mutated_from_another_thread_are_read_whole
    count = 10_000
    before = "a" * 64
    after = "b" * 64
    identities = Array.new(count) { |i| { id: "u#{i}", name: before.dup, traits: { s: before.dup } } }
    expected = [before, after].map do |text|
      Array.new(count) { |i| ChannelsReference.survey_link(SECRET, URL, "u#{i}", name: text, traits: { s: text }) }
    end
    stop = false
    mutator = Thread.new do
      rng = Random.new(1)
      until stop
        identity = identities[rng.rand(count)]
        identity[:name].replace(after)
        identity[:traits][:s] = after.dup
      end
    end
    links = @signer.survey_links(URL, identities)
    stop = true
    mutator.join
    # Each identity was read whole, under the GVL: wholly before or wholly after a mutation.
    links.each_with_index do |link, i|
      next if link == expected[0][i] || link == expected[1][i]

      assert_includes expected_mixed(i, before, after), link, "index #{i}"
    end
  end

  # A mutation can land between reading an identity's name and its traits Hash, never inside a String.
  def expected_mixed(index, before, after)
    [ChannelsReference.survey_link(SECRET, URL, "u#{index}", name: before, traits: { s: after }),
     ChannelsReference.survey_link(SECRET, URL, "u#{index}", name: after, traits: { s: before })]
  end
end
