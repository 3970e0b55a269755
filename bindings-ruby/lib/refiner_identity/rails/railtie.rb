# frozen_string_literal: true

require "rails/railtie"
require_relative "configuration"
require_relative "identify"
require_relative "view_helpers"
require_relative "identify_endpoint"

module RefinerIdentity
  module Rails
    # config.refiner_identity.secret_key (default: the credential
    # refiner_secret_key, then ENV["REFINER_SECRET_KEY"]), checked when the
    # application boots; the view helpers in every view.
    class Railtie < ::Rails::Railtie
      config.refiner_identity = ActiveSupport::OrderedOptions.new

      initializer "refiner_identity.view_helpers" do
        ActiveSupport.on_load(:action_view) { include RefinerIdentity::Rails::ViewHelpers }
      end

      # After config/initializers, so a key set there counts; before the
      # first request, so a bad key stops the boot instead.
      config.after_initialize do |app|
        RefinerIdentity::Rails.configure!(app.config.refiner_identity, app.credentials)
      end
    end
  end
end
