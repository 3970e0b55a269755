# frozen_string_literal: true

# Conformance driver for the Ruby binding (see README.md here).
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

$stdout.sync = true
$stdin.each_line do |line|
  request = JSON.parse(line)
  cases = request["cases"]
  results = case request["op"]
            when "sign" then sign_cases(cases)
            when "verify" then verify_cases(cases)
            when "reject" then cases.map { |c| error_kind(c) }
            end
  $stdout.write(JSON.generate(results: results), "\n")
end
