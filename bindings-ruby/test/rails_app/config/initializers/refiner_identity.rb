# frozen_string_literal: true

# Used only when the test sets RAILS_APP_CONFIG_KEY: otherwise the default
# (the credential refiner_secret_key, then ENV["REFINER_SECRET_KEY"]) applies.
if ENV.key?("RAILS_APP_CONFIG_KEY")
  Rails.application.config.refiner_identity.secret_key = ENV["RAILS_APP_CONFIG_KEY"]
end
