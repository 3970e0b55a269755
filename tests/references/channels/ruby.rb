# frozen_string_literal: true

# Reference renderer (SPEC.md section 9) from Ruby's standard library only:
# JSON.generate, ERB::Util.url_encode, OpenSSL::HMAC, Time. Same line protocol
# as python.py here.
require "erb"
require "json"
require "openssl"

SCRIPT_ESCAPES = { "<" => "\\u003c", ">" => "\\u003e", "&" => "\\u0026", "\u2028" => "\\u2028", "\u2029" => "\\u2029" }.freeze

def script_json(obj)
  # Ruby's generator writes control characters as \u001F; JSON escapes are case-insensitive, the spec's are lower case.
  JSON.generate(obj).gsub(/\\u00[0-9A-F]{2}/) { |escape| escape.downcase }.gsub(/[<>&\u2028\u2029]/, SCRIPT_ESCAPES)
end

def value(tagged)
  return tagged["text"] if tagged.key?("text")
  return Integer(tagged["int"]) if tagged.key?("int")
  return tagged["date"] if tagged.key?("date")
  return Time.at(tagged["ts_ms"].div(1000)).utc.strftime("%4Y-%m-%dT%H:%M:%SZ") if tagged.key?("ts_ms")

  nil
end

def pairs(items)
  (items || []).map { |name, tagged| [name, value(tagged)] }.reject { |_, v| v.nil? }
end

def render(kase)
  user_id = kase["id"].key?("text") ? kase["id"]["text"] : Integer(kase["id"]["int"]).to_s
  signature = OpenSSL::HMAC.hexdigest("sha256", kase["key"], user_id)
  user = { "id" => user_id }
  %w[email name].each { |field| user[field] = kase[field] unless kase[field].nil? }
  pairs(kase["traits"]).each { |name, v| user[name] = v }
  call = "_refiner('identifyUser',#{script_json(user)},{\"signature\":\"#{signature}\"});"
  open_tag = kase["nonce"].nil? ? "<script>" : "<script nonce=\"#{kase['nonce']}\">"
  gtm = user.merge("identify_verification_signature" => signature)
  gtm_tag = "#{open_tag}window.dataLayer=window.dataLayer||[];window.dataLayer.push(#{script_json(gtm)});</script>"
  [call, "#{open_tag}#{call}</script>", { "user" => user, "signature" => signature }, gtm, gtm_tag,
   survey_link(kase, user_id, signature)]
end

def survey_link(kase, user_id, signature)
  params = [["contact_id", user_id], ["signature", signature]]
  %w[email name].each { |field| params << ["contact_#{field}", kase[field]] unless kase[field].nil? }
  pairs(kase["traits"]).each { |name, v| params << ["contact_#{name}", v] }
  params << ["locale", kase["locale"]] unless kase["locale"].nil? || kase["locale"].empty?
  tags = kase["tags"]
  params << ["tags", tags.is_a?(String) ? tags : tags.join(",")] unless tags.nil? || tags.empty?
  pairs(kase["response"]).each { |name, v| params << ["response_#{name}", v] }
  base, hash_mark, fragment = kase["url"].partition("#")
  if !base.include?("?")
    base += "?"
  elsif !base.end_with?("?", "&")
    base += "&"
  end
  query = params.map { |n, v| "#{ERB::Util.url_encode(n)}=#{ERB::Util.url_encode(v.to_s)}" }.join("&")
  base + query + hash_mark + fragment
end

$stdout.sync = true
$stdin.each_line do |line|
  request = JSON.parse(line)
  $stdout.write(JSON.generate(results: request["cases"].map { |c| render(c) }), "\n")
end
