# frozen_string_literal: true

class PagesController < ApplicationController
  content_security_policy false, only: :no_csp

  def show; end

  def no_csp
    render :show
  end

  # The identify tag rendered without the nonce, under the CSP: the browser must block it.
  def unnonced
    render :show, layout: "unnonced"
  end

  def survey; end

  def context; end

  def boom; end
end
