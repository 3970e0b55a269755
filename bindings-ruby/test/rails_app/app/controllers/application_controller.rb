# frozen_string_literal: true

class ApplicationController < ActionController::Base
  helper_method :current_user

  private

  # Stands for the app's authentication (Devise and the like provide current_user).
  def current_user
    User.find_by_login(request.headers["X-Test-User"])
  end
end
