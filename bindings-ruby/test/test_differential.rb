# frozen_string_literal: true

require "test_helper"

# 10,000 random cases against OpenSSL::HMAC.hexdigest: UTF-8 text, binary
# strings, other encodings (signed as their raw bytes) and integers, Bignums included.
class TestDifferential < Minitest::Test
  include TestHelper

  CASES = 10_000
  ALPHABET = ["a", "Z", "0", " ", "-", "@", "é", "ü", "山", "😀", "\u0301", "\u0000", "\n"].freeze

  def random_key(rng)
    loop do
      key = Array.new(rng.rand(1..100)) { rng.rand(256) }.pack("C*")
      return key unless [" ", "\t", "\r", "\n"].include?(key[0]) || [" ", "\t", "\r", "\n"].include?(key[-1])
    end
  end

  def random_user_id(rng)
    case rng.rand(6)
    when 0 then Array.new(rng.rand(1..80)) { ALPHABET.sample(random: rng) }.join
    when 1 then Array.new(rng.rand(1..150)) { rng.rand(256) }.pack("C*")
    when 2 then Array.new(rng.rand(1..40)) { rng.rand(32..255).chr }.join.force_encoding(Encoding::ISO_8859_1)
    when 3 then "José #{rng.rand(10**6)} 山".encode(Encoding::UTF_16LE)
    when 4 then "\xff\xfe broken utf-8 \xc3".dup.force_encoding(Encoding::UTF_8) + rng.rand(1000).to_s
    else [rng.rand(-2**70..2**70), rng.rand(-1000..1000), rng.rand(2**64..2**200)].sample(random: rng)
    end
  end

  def test_random_cases_match_openssl
    rng = Random.new(20_261_127)
    CASES.times do |i|
      key = random_key(rng)
      user_id = random_user_id(rng)
      message = user_id.is_a?(Integer) ? user_id.to_s : user_id
      expected = reference(key, message)
      assert_equal expected, RefinerIdentity.sign(key, user_id), "case #{i}: #{user_id.inspect}"
      assert_equal expected, RefinerIdentity::Signer.new(key).sign(user_id), "case #{i}"
    end
  end
end
