# frozen_string_literal: true

# Ruby benchmark: refiner_identity against OpenSSL::HMAC.hexdigest, in one run
# on one machine. Outputs are asserted equal before anything is timed. Prints a
# markdown table and, last, one JSON line (`RESULT {...}`) for `make bench`.
require "etc"
require "json"
require "openssl"
require "refiner_identity"
require_relative "channels"

KEY = "bench-secret-key-0123456789"
USER_ID = "user-1234567" # 12 bytes, a typical short id
BATCH = 1_000_000
TARGETS = { "Signer#sign" => 10.0, "RefinerIdentity.sign" => 5.0, "sign_many" => 50.0 }.freeze

def clock
  Process.clock_gettime(Process::CLOCK_MONOTONIC)
end

def median(values)
  values.sort[values.size / 2]
end

# Median over rounds of the mean ns per call within a round.
# Each round starts from a collected heap, so one side's garbage is not billed to the other.
def median_ns(calls, rounds = 7)
  median(Array.new(rounds) do
    GC.start
    start = clock
    calls.times { yield }
    (clock - start) / calls * 1e9
  end)
end

def median_seconds(rounds = 3)
  median(Array.new(rounds) do
    GC.start
    start = clock
    yield
    clock - start
  end)
end

def cpu_model
  File.foreach("/proc/cpuinfo").find { |line| line.start_with?("model name") }&.split(":", 2)&.last&.strip || "unknown CPU"
rescue SystemCallError
  "unknown CPU"
end

signer = RefinerIdentity::Signer.new(KEY)
stdlib = OpenSSL::HMAC.hexdigest("sha256", KEY, USER_ID)
raise "outputs differ: nothing timed" unless signer.sign(USER_ID) == stdlib && RefinerIdentity.sign(KEY, USER_ID) == stdlib

# The renderer rows first, as in the Node bench: after the batch rounds, the
# heap they leave (millions of freed Strings) made every renderer call slower.
channel_rows, channels_met = ChannelsBench.run(signer, KEY, USER_ID)

ids = Array.new(BATCH) { |i| format("user-%07d", i) }
raise "sign_many differs from OpenSSL::HMAC: nothing timed" unless signer.sign_many(ids) == ids.map { |id| OpenSSL::HMAC.hexdigest("sha256", KEY, id) }

calls = 100_000
stdlib_ns = median_ns(calls) { OpenSSL::HMAC.hexdigest("sha256", KEY, USER_ID) }
signer_ns = median_ns(calls) { signer.sign(USER_ID) }
sign_ns = median_ns(calls) { RefinerIdentity.sign(KEY, USER_ID) }
stdlib_batch = median_seconds { ids.map { |id| OpenSSL::HMAC.hexdigest("sha256", KEY, id) } }
ours_batch = median_seconds { signer.sign_many(ids) }

ratios = {
  "Signer#sign" => stdlib_ns / signer_ns,
  "RefinerIdentity.sign" => stdlib_ns / sign_ns,
  "sign_many" => stdlib_batch / ours_batch,
}
commit = `git rev-parse --short HEAD 2>/dev/null`.strip
puts "Ruby #{RUBY_VERSION} (#{OpenSSL::OPENSSL_LIBRARY_VERSION}) on #{cpu_model}, #{Etc.uname[:sysname]} #{Etc.uname[:release]}, " \
     "commit #{commit.empty? ? 'unknown' : commit}"
puts
puts "| call | median ns per signature | vs `OpenSSL::HMAC.hexdigest` | target |"
puts "|---|---:|---:|---:|"
puts "| `OpenSSL::HMAC.hexdigest('sha256', key, id)` | #{stdlib_ns.round} | 1.0x | |"
puts "| `signer.sign(id)` | #{signer_ns.round} | #{format('%.1f', ratios['Signer#sign'])}x faster | >= 10x |"
puts "| `RefinerIdentity.sign(key, id)` | #{sign_ns.round} | #{format('%.1f', ratios['RefinerIdentity.sign'])}x faster | >= 5x |"
puts "| `signer.sign_many` 1,000,000 ids | #{(ours_batch * 1e9 / BATCH).round} (#{(ours_batch * 1e3).round} ms in all) " \
     "| #{format('%.1f', ratios['sign_many'])}x faster than mapping OpenSSL::HMAC (#{(stdlib_batch * 1e3).round} ms) | >= 50x |"
puts
puts ChannelsBench.table(channel_rows)
puts
missed = ratios.reject { |name, ratio| ratio >= TARGETS[name] }.keys
missed << "channels" unless channels_met
puts "targets: #{missed.empty? ? 'all met' : "MISSED #{missed.join(', ')}"}"
puts "RESULT #{JSON.generate(
  language: 'Ruby', runtime: "Ruby #{RUBY_VERSION}", stdlib: 'OpenSSL::HMAC.hexdigest', stdlib_ns: stdlib_ns,
  rows: [{ call: 'Signer#sign', ns: signer_ns, ratio: ratios['Signer#sign'], target: 10.0 },
         { call: 'RefinerIdentity.sign', ns: sign_ns, ratio: ratios['RefinerIdentity.sign'], target: 5.0 }],
  batch: { call: 'sign_many', seconds: ours_batch, stdlib_seconds: stdlib_batch, ratio: ratios['sign_many'], target: TARGETS['sign_many'] },
  channels: channel_rows
)}"
exit(missed.empty? ? 0 : 1)
