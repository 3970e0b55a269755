# frozen_string_literal: true

module RefinerIdentity
  module Rails
    # Included into every view by the Railtie. Both helpers return html_safe
    # output made by the core, and nothing (nil) for an anonymous user or for
    # one the core refuses (after a warning naming the field in the log).
    module ViewHelpers
      # The <script> calling _refiner('identifyUser', ...) for +user+, with the
      # request's CSP nonce when the app has a nonce generator.
      # +email:+ / +name:+ default to the user's +email+ / +name+ (when it has
      # them); pass nil to leave one out.
      # @return [ActiveSupport::SafeBuffer, nil]
      def refiner_identify_user_tag(user, traits: {}, email: :from_user, name: :from_user)
        nonce = respond_to?(:content_security_policy_nonce) ? content_security_policy_nonce : nil
        tag = Identify.render(user, email: email, name: name, traits: traits) do |fields|
          Rails.signer.script_tag(fields[:id], email: fields[:email], name: fields[:name],
                                               traits: fields[:traits], nonce: nonce)
        end
        # The core escapes the JSON for a <script> element (SPEC.md 9.2).
        tag.is_a?(String) ? tag.html_safe : nil
      end

      # The survey link for +user+ (SPEC.md 9.6), HTML-escaped for an href or
      # link_to (a base URL may hold quotes). +options+: locale:, tags:,
      # response:, traits:, email:, name:.
      # @return [ActiveSupport::SafeBuffer, nil]
      def refiner_survey_link(url, user, traits: {}, email: :from_user, name: :from_user, **options)
        link = Identify.render(user, email: email, name: name, traits: traits) do |fields|
          Rails.signer.survey_link(url, fields[:id], email: fields[:email], name: fields[:name],
                                                     traits: fields[:traits], **options)
        end
        link.is_a?(String) ? ERB::Util.html_escape(link) : nil
      end
    end
  end
end
