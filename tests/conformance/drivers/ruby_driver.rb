# frozen_string_literal: true

# Conformance driver for the Ruby binding (see README.md here).
require "date"
require "json"
require "refiner_identity"
require_relative "../../../bindings-ruby/test/tagged"

def sign_cases(cases)
  keys = cases.map { |c| Tagged.ruby_value(c["key"]) }
  ids = cases.map { |c| Tagged.ruby_value(c["id"]) }
  results = keys.zip(ids).map { |key, id| [RefinerIdentity.sign(key, id), RefinerIdentity::Signer.new(key).sign(id)] }
  keys.each_index.group_by { |i| keys[i].b }.each_value do |indexes|
    signatures = RefinerIdentity::Signer.new(keys[indexes.first]).sign_many(indexes.map { |i| ids[i] })
    indexes.zip(signatures) { |i, signature| results[i] << signature }
  end
  results
end

def verify_cases(cases)
  cases.map do |c|
    key = Tagged.ruby_value(c["key"])
    id = Tagged.ruby_value(c["id"])
    c["signatures"].map { |s| RefinerIdentity.verify(key, id, s) }
  end
end

def error_kind(kase)
  RefinerIdentity.sign(Tagged.ruby_value(kase["secret"]), Tagged.ruby_value(kase["user_id"]))
  "signed"
rescue RefinerIdentity::InvalidSecretError
  "InvalidSecret"
rescue RefinerIdentity::InvalidUserIdError
  "InvalidUserId"
rescue TypeError
  "TypeError"
end

def channel_value(tagged)
  return tagged["text"] if tagged.key?("text")
  return Integer(tagged["int"]) if tagged.key?("int")
  return Date.iso8601(tagged["date"]) if tagged.key?("date")
  return Time.at(Rational(tagged["ts_ms"], 1000)).utc if tagged.key?("ts_ms")

  nil
end

# Symbol and String keys alternate, so both are exercised.
def channel_hash(pairs, symbols)
  pairs.to_h { |name, tagged| [symbols ? name.to_sym : name, channel_value(tagged)] }
end

def channel_who(kase, index)
  { email: kase["email"], name: kase["name"], traits: channel_hash(kase["traits"], index.odd?) }
end

def link_options(kase, index)
  { locale: kase["locale"], tags: kase["tags"], response: channel_hash(kase["response"], index.even?) }
end

def channel_cases(cases)
  results = cases.each_with_index.map do |kase, i|
    signer = RefinerIdentity::Signer.new(kase["key"])
    id = channel_value(kase["id"])
    who = channel_who(kase, i)
    [signer.identify_call(id, **who), signer.script_tag(id, **who, nonce: kase["nonce"]),
     signer.identify_payload(id, **who), signer.gtm_traits(id, **who),
     signer.gtm_script_tag(id, **who, nonce: kase["nonce"]),
     signer.survey_link(kase["url"], id, **who, **link_options(kase, i))]
  end
  cases.each_index.group_by { |i| [cases[i]["key"], cases[i]["url"]] }.each do |(key, url), indexes|
    items = indexes.map do |i|
      item = { id: channel_value(cases[i]["id"]) }.merge(channel_who(cases[i], i), link_options(cases[i], i))
      i.odd? ? item.transform_keys(&:to_s) : item
    end
    RefinerIdentity::Signer.new(key).survey_links(url, items).each_with_index { |link, j| results[indexes[j]] << link }
  end
  results
end

$stdout.sync = true
$stdin.each_line do |line|
  request = JSON.parse(line)
  cases = request["cases"]
  results = case request["op"]
            when "channels" then channel_cases(cases)
            when "sign" then sign_cases(cases)
            when "verify" then verify_cases(cases)
            when "reject" then cases.map { |c| error_kind(c) }
            end
  $stdout.write(JSON.generate(results: results), "\n")
end
