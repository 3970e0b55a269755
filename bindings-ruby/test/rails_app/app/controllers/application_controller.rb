# frozen_string_literal: true

class ApplicationController < ActionController::Base
  helper_method :current_user

  private

  # Stands for the app's authentication (Devise and the like provide current_user):
  # the X-Test-User header, or ?login= for the browser, which sends no custom header.
  def current_user
    User.find_by_login(request.headers["X-Test-User"] || params[:login])
  end
end
