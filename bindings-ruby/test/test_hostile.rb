# frozen_string_literal: true

require "test_helper"

# Hostile inputs (issue 14): every case signs exactly what OpenSSL::HMAC signs
# for the value's real bytes, or raises a clear error; never a different signature.
class TestHostile < Minitest::Test
  include TestHelper

  # Replaces klass#name by `body` for the block, restoring the original after.
  # Assertions stay outside the block: Minitest itself calls the patched methods.
  def with_patched(klass, name, body)
    saved = :"__refiner_test_saved_#{name}"
    klass.alias_method(saved, name)
    klass.send(:remove_method, name)
    klass.define_method(name, &body)
    yield
  ensure
    klass.send(:remove_method, name)
    klass.alias_method(name, saved)
    klass.send(:remove_method, saved)
  end

  def all_three(user_id)
    signer = RefinerIdentity::Signer.new(SECRET)
    [RefinerIdentity.sign(SECRET, user_id), signer.sign(user_id), signer.sign_many([user_id, user_id]).uniq.first]
  end

  def assert_signs_as(message, user_id, label = message.inspect)
    expected = reference(SECRET, message)
    assert_equal [expected] * 3, all_three(user_id), label
    assert RefinerIdentity::Signer.new(SECRET).verify(user_id, expected), label
  end

  def assert_type_error(user_id, label)
    signer = RefinerIdentity::Signer.new(SECRET)
    [
      -> { RefinerIdentity.sign(SECRET, user_id) },
      -> { signer.sign(user_id) },
      -> { signer.verify(user_id, "0" * 64) },
      -> { signer.sign_many(["ok", user_id]) },
    ].each do |attempt|
      error = assert_raises(TypeError, label) { attempt.call }
      assert_match(/String or an Integer/, error.message, label)
    end
  end

  # --- Integers: converted by the C API, never by a method call a patch could change.

  INTEGERS = [
    2**200, -(2**200), 2**64, 2**63, 2**63 - 1, -(2**63), -(2**63) - 1, 2**127 - 1, 2**127, -(2**127),
    -(2**127) - 1, 2**128, 10**38, 42, 0, -5, 2**62, -(2**62) - 1,
  ].freeze

  %i[to_s inspect digits].each do |patched|
    define_method("test_integer_#{patched}_patched_changes_nothing") do
      expected = INTEGERS.map { |n| reference(SECRET, n.to_s) }
      signer = RefinerIdentity::Signer.new(SECRET)
      got = nil
      with_patched(Integer, patched, ->(*) { patched == :digits ? [7] : "7" }) do
        got = INTEGERS.map { |n| [RefinerIdentity.sign(SECRET, n), signer.sign(n)] } << signer.sign_many(INTEGERS)
      end
      batch = got.pop
      assert_equal expected.zip(expected), got
      assert_equal expected, batch
    end
  end

  def test_integer_arithmetic_patched_changes_nothing
    values = [-(2**200), 2**200 + 12_345, -(2**100)]
    expected = values.map { |n| reference(SECRET, n.to_s) }
    got = nil
    with_patched(Integer, :-@, ->(*) { 7 }) do
      with_patched(Integer, :abs, ->(*) { 7 }) do
        with_patched(Integer, :divmod, ->(*) { [7, 7] }) do
          got = RefinerIdentity::Signer.new(SECRET).sign_many(values)
        end
      end
    end
    assert_equal expected, got
  end

  def test_huge_integers
    [10**100_000, -(10**100_000) + 1].each do |n|
      assert_signs_as(n.to_s, n, "#{n.to_s.size} digits")
    end
  end

  def test_million_bit_integer_is_formatted_like_integer_to_s
    # 301,030 digits: a quadratic formatting took seconds here, holding the GVL.
    n = 2**1_000_000 + 1
    signer = RefinerIdentity::Signer.new(SECRET)
    assert_equal OpenSSL::HMAC.hexdigest("sha256", SECRET, n.to_s), signer.sign(n)
    assert_equal [OpenSSL::HMAC.hexdigest("sha256", SECRET, (-n).to_s)], signer.sign_many([-n])
  end

  # --- Strings: their raw bytes, read through the C API whatever the class overrides.

  class HostileString < String
    def to_s = "to_s"
    def to_str = "to_str"
    def bytes = [1, 2, 3]
    def bytesize = 1
    def encoding = Encoding::UTF_16LE
    def b = "b"
    def each_byte = yield(0)
    def unpack(*) = ["unpack"]
    def force_encoding(*) = "force"
    def empty? = true
    def length = 0
    def inspect = "inspect"
    def hash = 0
    def ==(*) = true
  end

  def test_string_subclass_overriding_everything
    assert_signs_as("user-42", HostileString.new("user-42"))
    utf16 = "José".encode(Encoding::UTF_16LE)
    assert_signs_as(utf16.b, HostileString.new(utf16), "UTF-16LE subclass")
  end

  def test_string_with_singleton_methods_and_instance_variables
    id = +"user-42"
    id.instance_variable_set(:@id, "other")
    def id.to_s = "other"
    def id.bytes = [0]
    assert_signs_as("user-42", id)
  end

  def test_empty_string_subclass_is_invalid
    signer = RefinerIdentity::Signer.new(SECRET)
    assert_raises(RefinerIdentity::InvalidUserIdError) { signer.sign(HostileString.new("")) }
    error = assert_raises(RefinerIdentity::InvalidUserIdError) { signer.sign_many(["a", HostileString.new("")]) }
    assert_match(/index 1\b/, error.message)
  end

  def test_frozen_and_shared_strings
    frozen = "user-frozen"
    assert_predicate frozen, :frozen?
    assert_signs_as("user-frozen", frozen)
    whole = "#{'x' * 1000}user-shared-tail"
    tail = whole[1000..] # shares whole's buffer
    middle = whole[500, 520]
    assert_signs_as("user-shared-tail", tail)
    assert_signs_as(("x" * 500) + "user-shared-tail", middle)
    whole[1000, 4] = "USER" # copy-on-write: the substring keeps its bytes
    assert_signs_as("user-shared-tail", tail)
  end

  def test_strings_in_odd_encodings_sign_their_bytes
    text = "José 山田 ü"
    [
      text.encode(Encoding::UTF_16LE), text.encode(Encoding::UTF_16BE), text.encode(Encoding::UTF_32LE),
      "José ü".encode(Encoding::ISO_8859_1), "山田太郎".encode(Encoding::Shift_JIS), "山田".encode(Encoding::EUC_JP),
      text.b, "plain".encode(Encoding::US_ASCII), text.dup.force_encoding(Encoding::UTF_16), # a dummy encoding
      "\xff\xfe\xc3 broken".dup.force_encoding(Encoding::UTF_8), "\xff\x00\x80".dup.force_encoding(Encoding::US_ASCII)
    ].each do |id|
      assert_signs_as(id.b, id, id.encoding.name)
    end
  end

  def test_nul_bytes_are_part_of_the_id
    assert_signs_as("a\0b", "a\0b")
    assert_signs_as("\0", "\0")
  end

  def test_hundred_megabyte_id
    id = "a" * (100 * 1024 * 1024)
    expected = reference(SECRET, id)
    signer = RefinerIdentity::Signer.new(SECRET)
    assert_equal expected, signer.sign(id)
    assert_equal [expected, reference(SECRET, "b")], signer.sign_many([id, "b"])
  end

  # --- Values that convert themselves elsewhere in Ruby are refused here.

  def test_objects_with_conversion_methods_are_type_errors
    to_str = Object.new.tap { |o| def o.to_str = "user-42" }
    to_int = Object.new.tap { |o| def o.to_int = 42 }
    to_i = Object.new.tap { |o| def o.to_i = 42 }
    to_s = Object.new.tap { |o| def o.to_s = "user-42" }
    to_ary = Object.new.tap { |o| def o.to_ary = ["user-42"] }
    { "to_str" => to_str, "to_int" => to_int, "to_i" => to_i, "to_s" => to_s, "to_ary" => to_ary }.each do |label, value|
      assert_type_error(value, label)
    end
  end

  def test_other_types_are_type_errors
    basic = BasicObject.new
    anonymous = Class.new { def self.name = SECRET }.new
    [nil, true, false, 1.0, 2.5, Float::NAN, 1r, 1i, :user42, :"", [], {}, 1..2, Struct.new(:id).new(1), basic, anonymous,
     Time.at(0), Encoding::UTF_8, method(:puts)].each_with_index do |value, index|
      assert_type_error(value, "case #{index}")
    end
  end

  def test_type_error_names_the_class_not_the_value
    error = assert_raises(TypeError) { RefinerIdentity.sign(SECRET, Class.new { def self.name = SECRET }.new) }
    refute_includes error.message, SECRET
    error = assert_raises(TypeError) { RefinerIdentity.sign(SECRET, BasicObject.new) }
    assert_match(/BasicObject/, error.message)
  end

  # --- Batches.

  class HostileArray < Array
    def each = yield("each")
    def map = ["map"]
    def size = 1
    def length = 1
    def [](*) = "index"
    def to_a = ["to_a"]
    def to_ary = ["to_ary"]
  end

  def test_array_subclass_overriding_access
    ids = HostileArray.new(["a", 2**70, "c"])
    assert_equal [reference(SECRET, "a"), reference(SECRET, (2**70).to_s), reference(SECRET, "c")],
                 RefinerIdentity::Signer.new(SECRET).sign_many(ids)
  end

  def test_sign_many_refuses_array_like_objects
    signer = RefinerIdentity::Signer.new(SECRET)
    like = Object.new.tap { |o| def o.to_ary = ["a"] }
    [like, "a", nil, { a: 1 }, Enumerator.new { |y| y << "a" }].each do |value|
      assert_raises(TypeError) { signer.sign_many(value) }
    end
  end

  def test_first_bad_element_wins_whatever_its_problem
    signer = RefinerIdentity::Signer.new(SECRET)
    ids = Array.new(10) { |i| "u#{i}" }
    ids[2] = ""
    ids[5] = :symbol
    error = assert_raises(RefinerIdentity::InvalidUserIdError) { signer.sign_many(ids) }
    assert_match(/index 2\b/, error.message)
    ids[2] = :symbol
    ids[5] = ""
    error = assert_raises(TypeError) { signer.sign_many(ids) }
    assert_match(/user_ids\[2\]/, error.message)
  end

  def test_string_mutated_by_another_thread_during_sign_many
    first = "aaaa-value"
    second = "bbbb-value-that-is-longer-than-the-first-one"
    shared = +first
    ids = Array.new(100_000, shared)
    signer = RefinerIdentity::Signer.new(SECRET)
    stop = false
    mutator = Thread.new do
      flip = false
      until stop
        shared.replace((flip = !flip) ? second : first)
        Thread.pass
      end
    end
    results = Array.new(20) { signer.sign_many(ids) }
    stop = true
    mutator.join
    allowed = [reference(SECRET, first), reference(SECRET, second)]
    results.each do |signatures|
      # The batch copies every id before it lets go of the GVL: one value for the whole call.
      assert_equal 1, signatures.uniq.size
      assert_includes allowed, signatures.first
    end
  end

  def test_array_mutated_by_another_thread_during_sign_many
    ids = Array.new(50_000) { |i| "u#{i}" }
    expected = ids.map { |id| reference(SECRET, id) }
    signer = RefinerIdentity::Signer.new(SECRET)
    stop = false
    mutator = Thread.new do
      until stop
        ids.push("extra")
        Thread.pass
        ids.pop
      end
    end
    results = Array.new(20) { signer.sign_many(ids) }
    stop = true
    mutator.join
    results.each do |signatures|
      assert_equal expected, signatures.first(expected.size)
      assert_includes [expected.size, expected.size + 1], signatures.size
    end
  end

  def test_sign_many_under_gc_stress_and_compaction
    ids = Array.new(50) { |i| [+"user-#{i}-é", 2**(64 + i), "raw-#{i}".b, "ü#{i}".encode(Encoding::UTF_16LE), -i][i % 5] }
    expected = ids.map { |id| reference(SECRET, id.is_a?(Integer) ? id.to_s : id) }
    signer = RefinerIdentity::Signer.new(SECRET)
    got = nil
    compacting = GC.respond_to?(:auto_compact=)
    begin
      GC.auto_compact = true if compacting
      GC.stress = true
      got = signer.sign_many(ids)
    ensure
      GC.stress = false
      GC.auto_compact = false if compacting
    end
    assert_equal expected, got
  end

  # --- Secrets and signatures: Strings only, read through the C API.

  def test_secret_string_subclass_and_conversions
    assert_equal reference("key-1", "42"), RefinerIdentity.sign(HostileString.new("key-1"), "42")
    assert_equal reference("key-1", "42"), RefinerIdentity::Signer.new(HostileString.new("key-1")).sign(42)
    to_str = Object.new.tap { |o| def o.to_str = "key-1" }
    assert_raises(TypeError) { RefinerIdentity.sign(to_str, "42") }
    assert_raises(TypeError) { RefinerIdentity::Signer.new(to_str) }
    assert_raises(TypeError) { RefinerIdentity::Signer.new("key", previous: [to_str]) }
    old = HostileArray.new(["old-key"])
    assert RefinerIdentity::Signer.new("key", previous: old).verify("42", reference("old-key", "42"))
  end

  def test_signature_string_subclass_and_conversions
    signature = reference(SECRET, "42")
    assert RefinerIdentity.verify(SECRET, "42", HostileString.new(signature))
    refute RefinerIdentity.verify(SECRET, "42", HostileString.new("0" * 64))
    to_str = Object.new.tap { |o| def o.to_str = "x" }
    assert_raises(TypeError) { RefinerIdentity.verify(SECRET, "42", to_str) }
    assert_raises(TypeError) { RefinerIdentity::Signer.new(SECRET).verify("42", :sig) }
  end

  def test_from_env_name_must_be_a_string
    to_str = Object.new.tap { |o| def o.to_str = "REFINER_SECRET_KEY" }
    [to_str, :REFINER_SECRET_KEY, 1].each do |name|
      assert_raises(TypeError) { RefinerIdentity::Signer.from_env(name) }
    end
    error = assert_raises(RefinerIdentity::InvalidSecretError) { RefinerIdentity::Signer.from_env("NO_SUCH\0NAME") }
    refute_includes error.message, SECRET
  end
end
