# frozen_string_literal: true

# The channel rows of bench.rb: identify_call and survey_link for a user with
# five traits, against Signer#sign and against the same rendering written with
# Ruby's standard library (JSON + OpenSSL::HMAC + ERB::Util.url_encode).
require "date"
require "erb"
require "json"
require "openssl"

module ChannelsBench
  URL = "https://survey.refiner.io/s/abc123?source=email"
  EMAIL = "ada@example.com"
  NAME = "Ada Lovelace"
  TRAITS = { plan: "pro", seats: 12, company: "Acme & Co", role: "admin", signed_up: Date.new(2024, 1, 15) }.freeze
  SCRIPT_ESCAPES = { "<" => "\\u003c", ">" => "\\u003e", "&" => "\\u0026", "\u2028" => "\\u2028", "\u2029" => "\\u2029" }.freeze
  TARGET_VS_SIGN = 4.0 # at most this many Signer#sign
  TARGET_VS_STDLIB = 5.0 # at least this much faster than the standard library

  module_function

  def stdlib_value(value)
    value.is_a?(Date) ? value.strftime("%Y-%m-%d") : value
  end

  def stdlib_identify_call(key, user_id)
    id = user_id.to_s
    user = { "id" => id, "email" => EMAIL, "name" => NAME }
    TRAITS.each { |name, value| user[name.to_s] = stdlib_value(value) }
    json = JSON.generate(user).gsub(/[<>&\u2028\u2029]/, SCRIPT_ESCAPES)
    "_refiner('identifyUser',#{json},{\"signature\":\"#{OpenSSL::HMAC.hexdigest('sha256', key, id)}\"});"
  end

  def stdlib_survey_link(key, user_id)
    id = user_id.to_s
    query = +"contact_id=#{ERB::Util.url_encode(id)}&signature=#{OpenSSL::HMAC.hexdigest('sha256', key, id)}"
    query << "&contact_email=" << ERB::Util.url_encode(EMAIL) << "&contact_name=" << ERB::Util.url_encode(NAME)
    TRAITS.each { |name, value| query << "&contact_" << ERB::Util.url_encode(name.to_s) << "=" << ERB::Util.url_encode(stdlib_value(value).to_s) }
    "#{URL}&#{query}"
  end

  # Thread CPU time: these calls are single-threaded, and CPU time does not
  # count the time other processes on a shared machine take from this one.
  def clock
    Process.clock_gettime(Process::CLOCK_THREAD_CPUTIME_ID)
  end

  # Ns per call of each callable, timed in interleaved rounds (each after a
  # full GC): the medians, and the median of each round's ratio to `base`, so
  # a change in machine load between rounds does not skew a ratio.
  def interleaved_ns(callables, base, calls: 20_000, rounds: 15)
    samples = Array.new(rounds) do
      callables.transform_values do |callable|
        GC.start
        start = clock
        calls.times { callable.call }
        (clock - start) / calls * 1e9
      end
    end
    median = ->(values) { values.sort[values.size / 2] }
    ns = callables.keys.to_h { |name| [name, median.(samples.map { |round| round[name] })] }
    ratios = callables.keys.to_h { |name| [name, median.(samples.map { |round| round[name] / round[base] })] }
    [ns, ratios]
  end

  # [rows, all targets met]
  def run(signer, key, user_id)
    ours = {
      "identify_call" => -> { signer.identify_call(user_id, email: EMAIL, name: NAME, traits: TRAITS) },
      "survey_link" => -> { signer.survey_link(URL, user_id, email: EMAIL, name: NAME, traits: TRAITS) }
    }
    stdlib = { "identify_call" => -> { stdlib_identify_call(key, user_id) }, "survey_link" => -> { stdlib_survey_link(key, user_id) } }
    ours.each { |name, call| raise "#{name} differs from the standard library: nothing timed" unless call.call == stdlib[name].call }
    rows = ours.map do |name, call|
      ns, vs_ours = interleaved_ns({ sign: -> { signer.sign(user_id) }, ours: call, stdlib: stdlib[name] }, :ours)
      { call: "Signer##{name} (email, name, 5 traits)", ns: ns[:ours], sign_ns: ns[:sign], vs_sign: 1 / vs_ours[:sign],
        stdlib_ns: ns[:stdlib], ratio: vs_ours[:stdlib], target_vs_sign: TARGET_VS_SIGN, target: TARGET_VS_STDLIB }
    end
    [rows, rows.all? { |row| row[:vs_sign] <= TARGET_VS_SIGN && row[:ratio] >= TARGET_VS_STDLIB }]
  end

  def table(rows)
    lines = ["| channel call (thread CPU time; ratios: median of per-round ratios) | median ns | `signer.sign` ns " \
             "| vs `signer.sign` (target <= #{TARGET_VS_SIGN}x) | standard library ns | vs standard library (target >= #{TARGET_VS_STDLIB}x) |",
             "|---|---:|---:|---:|---:|---:|"]
    rows.each do |row|
      lines << "| `#{row[:call]}` | #{row[:ns].round} | #{row[:sign_ns].round} | #{format('%.2f', row[:vs_sign])}x " \
               "| #{row[:stdlib_ns].round} | #{format('%.1f', row[:ratio])}x faster |"
    end
    lines
  end
end
