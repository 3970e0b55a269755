# frozen_string_literal: true

# GET /refiner/identify: {"user": {...}, "signature": "..."} for the logged-in user.
class RefinerController < ApplicationController
  include RefinerIdentity::Rails::IdentifyEndpoint

  private

  def refiner_identity_traits(user)
    { plan: user.plan }
  end
end
