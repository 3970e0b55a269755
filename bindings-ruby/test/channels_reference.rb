# frozen_string_literal: true

require "date"
require "erb"
require "json"
require "openssl"

# The renderers of SPEC.md section 9 written again with Ruby's standard library
# only (JSON.generate, OpenSSL::HMAC, ERB::Util.url_encode), independent of the
# gem: the tests compare the gem's output with these, byte for byte.
module ChannelsReference
  # JSON.generate escapes quotes, backslashes and controls; SPEC adds these so the JSON is safe in <script>.
  SCRIPT_ESCAPES = { "<" => "\\u003c", ">" => "\\u003e", "&" => "\\u0026", "\u2028" => "\\u2028", "\u2029" => "\\u2029" }.freeze

  module_function

  def json(object)
    JSON.generate(object).gsub(/[<>&\u2028\u2029]/, SCRIPT_ESCAPES)
  end

  def id_text(user_id)
    user_id.is_a?(Integer) ? user_id.to_s : user_id
  end

  def signature(secret, user_id)
    OpenSSL::HMAC.hexdigest("sha256", secret, id_text(user_id))
  end

  # A trait value as it appears in JSON (Integers stay numbers) and, through `text`, in a URL.
  def value(value)
    case value
    when String then value.encode(Encoding::UTF_8)
    when Integer then value
    when DateTime then value.to_time.getutc.strftime("%Y-%m-%dT%H:%M:%SZ")
    when Date then value.strftime("%Y-%m-%d")
    when Time then value.getutc.strftime("%Y-%m-%dT%H:%M:%SZ")
    else raise ArgumentError, "no reference rendering for #{value.class}"
    end
  end

  def text(value)
    value(value).to_s
  end

  def named(values)
    (values || {}).reject { |_, v| v.nil? }.to_h { |k, v| [k.to_s, value(v)] }
  end

  def user(user_id, email: nil, name: nil, traits: {})
    user = { "id" => id_text(user_id).dup.force_encoding(Encoding::UTF_8) }
    user["email"] = email.encode(Encoding::UTF_8) if email
    user["name"] = name.encode(Encoding::UTF_8) if name
    user.merge(named(traits))
  end

  def identify_call(secret, user_id, **identity)
    sig = signature(secret, user_id)
    "_refiner('identifyUser',#{json(user(user_id, **identity))},#{json({ 'signature' => sig })});"
  end

  def open_script(nonce)
    nonce ? %(<script nonce="#{nonce}">) : "<script>"
  end

  def script_tag(secret, user_id, nonce: nil, **identity)
    "#{open_script(nonce)}#{identify_call(secret, user_id, **identity)}</script>"
  end

  def identify_payload_json(secret, user_id, **identity)
    json({ "user" => user(user_id, **identity), "signature" => signature(secret, user_id) })
  end

  def gtm_traits_json(secret, user_id, **identity)
    json(user(user_id, **identity).merge("identify_verification_signature" => signature(secret, user_id)))
  end

  def gtm_script_tag(secret, user_id, nonce: nil, **identity)
    "#{open_script(nonce)}window.dataLayer=window.dataLayer||[];window.dataLayer.push(" \
      "#{gtm_traits_json(secret, user_id, **identity)});</script>"
  end

  def survey_link(secret, url, user_id, email: nil, name: nil, traits: {}, locale: nil, tags: nil, response: {})
    base, fragment = url.split("#", 2)
    pairs = [["contact_id", id_text(user_id)], ["signature", signature(secret, user_id)]]
    pairs << ["contact_email", email.encode(Encoding::UTF_8)] if email
    pairs << ["contact_name", name.encode(Encoding::UTF_8)] if name
    named(traits).each { |k, v| pairs << ["contact_#{k}", v.to_s] }
    pairs << ["locale", locale] if locale && !locale.empty?
    joined = tags.is_a?(Array) ? tags.join(",") : tags
    pairs << ["tags", joined] if joined && !joined.empty?
    named(response).each { |k, v| pairs << ["response_#{k}", v.to_s] }
    query = pairs.map { |k, v| "#{ERB::Util.url_encode(k)}=#{ERB::Util.url_encode(v)}" }.join("&")
    separator = if !base.include?("?") then "?"
                elsif base.end_with?("?", "&") then ""
                else "&"
                end
    "#{base}#{separator}#{query}#{fragment ? "##{fragment}" : ''}"
  end
end
