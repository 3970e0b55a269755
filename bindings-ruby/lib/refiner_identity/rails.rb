# frozen_string_literal: true

# The Rails integration: a Railtie that checks the secret key when the
# application boots, view helpers (refiner_identify_user_tag,
# refiner_survey_link) and a controller concern for the JSON endpoint.
# Loaded by `require "refiner_identity"` whenever Rails is already loaded
# (Bundler.require after `require "rails"`); require it yourself otherwise.
require "rails"
require_relative "../refiner_identity"
require_relative "rails/railtie"
