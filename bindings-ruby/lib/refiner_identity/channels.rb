# frozen_string_literal: true

require "json"

module RefinerIdentity
  # The renderers of SPEC.md section 9: the same bytes as the Python and Node
  # packages, made by the Rust core. Each takes the user to identify as
  # +user_id+ (signed exactly as {#sign} signs it, and shown as that text, so
  # a String id must be UTF-8, US-ASCII or binary),
  # +email:+ and +name:+ (Strings or nil) and +traits:+, a Hash with String or
  # Symbol names and String, Integer, Date, Time or DateTime values (nil leaves
  # a trait out), kept in insertion order, or nil for none. No renderer takes
  # or shows the key.
  #
  # Errors: {InvalidUserIdError}, {InvalidTraitError} (naming the field),
  # {InvalidOptionError} (nonce, url, locale, tags), TypeError for a user id,
  # +traits:+ or +response:+ of the wrong type.
  class Signer
    # @return [String] <tt>_refiner('identifyUser',USER_JSON,{"signature":"HEX"});</tt>
    def identify_call(user_id, email: nil, name: nil, traits: nil)
      _identify_call(user_id, email, name, traits)
    end

    # @param nonce [String, nil] a CSP nonce (1 to 256 of A-Z a-z 0-9 + / = _ -)
    # @return [String] the identify call inside +<script>+ (with the nonce, if any)
    def script_tag(user_id, email: nil, name: nil, traits: nil, nonce: nil)
      _script_tag(user_id, email, name, traits, nonce)
    end

    # @return [Hash] <tt>{"user" => {...}, "signature" => "HEX"}</tt> (String keys), for a JSON endpoint
    def identify_payload(user_id, email: nil, name: nil, traits: nil)
      JSON.parse(_identify_payload_json(user_id, email, name, traits))
    end

    # @return [Hash] the user's fields and +identify_verification_signature+ (String keys), for Google Tag Manager
    def gtm_traits(user_id, email: nil, name: nil, traits: nil)
      JSON.parse(_gtm_traits_json(user_id, email, name, traits))
    end

    # @return [String] +<script>+ pushing {#gtm_traits} onto +window.dataLayer+
    def gtm_script_tag(user_id, email: nil, name: nil, traits: nil, nonce: nil)
      _gtm_script_tag(user_id, email, name, traits, nonce)
    end

    # @param url [String] the survey's absolute http(s) URL; its query and fragment are kept
    # @param locale [String, nil]
    # @param tags [String, Array<String>, nil] an Array is joined with commas
    # @param response [Hash, nil] contextual values, written as +response_<key>+
    # @return [String] the survey link with +contact_id+, +signature+ and the contact's fields
    def survey_link(url, user_id, email: nil, name: nil, traits: nil, locale: nil, tags: nil, response: nil)
      _survey_link(url, user_id, email, name, traits, locale, tags, response)
    end

    # @!method survey_links(url, identities)
    #   Survey links for many users, in order, made on all cores without the GVL.
    #   @param identities [Array<Hash>] Hashes with the keys +id+ (required), +email+, +name+,
    #     +traits+, +locale+, +tags+ and +response+, as Symbols or Strings
    #   @return [Array<String>]
    #   @raise the error of the first bad identity, naming its index
  end
end
