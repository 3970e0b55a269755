# frozen_string_literal: true

module RefinerIdentity
  module Rails
    # The JSON endpoint for single-page apps and mobile backends:
    #
    #   class RefinerController < ApplicationController
    #     include RefinerIdentity::Rails::IdentifyEndpoint
    #   end
    #   get "/refiner/identify", to: "refiner#identify"
    #
    # 200 with {"user": {...}, "signature": "..."} for the logged-in user, 401
    # {"error": "anonymous"} without one, 500 {"error": KIND, "field": FIELD}
    # when the core refuses the user (and one warning in the log); never cached.
    # The user is +current_user+; override +refiner_identity_user+ and
    # +refiner_identity_traits(user)+ (default {}) to change them.
    module IdentifyEndpoint
      extend ActiveSupport::Concern

      def identify
        response.cache_control[:no_store] = true
        user = refiner_identity_user
        traits = user.nil? ? {} : refiner_identity_traits(user)
        payload = Identify.render(user, traits: traits) do |fields|
          Rails.signer.identify_payload(fields[:id], email: fields[:email], name: fields[:name], traits: fields[:traits])
        end
        case payload
        when nil then render json: { error: "anonymous" }, status: :unauthorized
        when Identify::Refused then render json: { error: payload.kind, field: payload.field }, status: :internal_server_error
        else render json: payload
        end
      end

      private

      def refiner_identity_user
        return current_user if respond_to?(:current_user, true)

        raise NotImplementedError, "#{self.class.name}: define current_user or refiner_identity_user " \
                                   "(the logged-in user, nil when nobody is)"
      end

      def refiner_identity_traits(_user)
        {}
      end
    end
  end
end
