# frozen_string_literal: true

# Soak run for the Ruby binding: N signatures through every entry point
# (RefinerIdentity.sign, Signer#sign, sign_many of 10,000 ids, verify) mixed
# with calls that raise; fails if RSS grows more than 10 MB after the warm-up
# (the first 10%). Every 100,000th signature is checked against OpenSSL::HMAC.
#
#   ruby -Ibindings-ruby/lib tests/soak/soak.rb N
require "openssl"
require "refiner_identity"

LIMIT_KB = 10 * 1024
SAMPLE = 100_000
BATCH = 10_000
SINGLES = 1_000
SECRET = "soak-secret-key-0123456789"

def rss_kb
  GC.start
  File.read("/proc/self/status")[/^VmRSS:\s+(\d+)/, 1].to_i
end

def fail!(message)
  warn "soak ruby: FAILED: #{message}"
  exit 1
end

# A mix of the accepted types: text, other encodings, binary, integers, Bignums.
def user_id(n)
  case n % 6
  when 0 then "user-#{n}"
  when 1 then "usér-#{n}-山".encode(Encoding::UTF_16LE)
  when 2 then [n].pack("Q>") + "raw"
  when 3 then n
  when 4 then -(2**100) - n
  else "#{'long-id-' * 10}#{n}"
  end
end

def message(id)
  id.is_a?(Integer) ? id.to_s : id
end

# Counts signatures and checks each one whose number is a multiple of SAMPLE.
class Tally
  attr_reader :count

  def initialize
    @count = 0
    @checked = 0
  end

  def add(ids, signatures)
    fail!("#{signatures.size} signatures for #{ids.size} ids") unless signatures.size == ids.size
    first = @count
    @count += ids.size
    sample = ((first + SAMPLE - 1) / SAMPLE) * SAMPLE
    while sample < @count
      id = ids[sample - first]
      expected = OpenSSL::HMAC.hexdigest("sha256", SECRET, message(id))
      fail!("signature #{sample} differs from OpenSSL::HMAC") unless signatures[sample - first] == expected
      @checked += 1
      sample += SAMPLE
    end
  end

  def checked = @checked
end

def expect_error(klass)
  yield
  fail!("expected #{klass}, nothing raised")
rescue klass
  nil
end

# One round: BATCH + 2 * SINGLES + SINGLES / 2 signatures, and 40 refused calls.
def round(signer, tally, base)
  ids = Array.new(BATCH) { |i| user_id(base + i) }
  tally.add(ids, signer.sign_many(ids))
  singles = Array.new(SINGLES) { |i| user_id(base + BATCH + i) }
  tally.add(singles, singles.map { |id| RefinerIdentity.sign(SECRET, id) })
  tally.add(singles, singles.map { |id| signer.sign(id) })
  checks = singles.first(SINGLES / 2)
  verified = checks.map { |id| signer.verify(id, OpenSSL::HMAC.hexdigest("sha256", SECRET, message(id))) }
  fail!("verify refused a good signature") unless verified.all?
  tally.add(checks, checks) # verify computes one HMAC per call
  10.times do
    expect_error(RefinerIdentity::InvalidUserIdError) { signer.sign("") }
    expect_error(TypeError) { signer.sign_many(ids.first(100) + [:bad]) }
    expect_error(RefinerIdentity::InvalidSecretError) { RefinerIdentity.sign("#{SECRET}\n", "42") }
    expect_error(RefinerIdentity::InvalidSecretError) { RefinerIdentity::Signer.new("") }
  end
end

total = Integer(ARGV.fetch(0, "1000000"))
per_round = BATCH + (2 * SINGLES) + (SINGLES / 2)
signer = RefinerIdentity::Signer.new(SECRET)
tally = Tally.new
rss = { start: rss_kb }
base = 0
while tally.count < total
  round(signer, tally, base)
  base += per_round
  rss[:warm] ||= rss_kb if tally.count >= total / 10
  rss[:mid] ||= rss_kb if tally.count >= total / 2
end
rss[:end] = rss_kb
growth = rss[:end] - rss[:warm]
puts "soak ruby: N=#{total} rss_start_kb=#{rss[:start]} rss_warm_kb=#{rss[:warm]} rss_mid_kb=#{rss[:mid]} " \
     "rss_end_kb=#{rss[:end]} growth_kb=#{growth}"
fail!("no signature was checked against OpenSSL::HMAC") if tally.checked.zero? && tally.count >= SAMPLE
fail!("RSS grew by #{growth} kB after the warm-up (limit #{LIMIT_KB} kB)") if growth > LIMIT_KB
