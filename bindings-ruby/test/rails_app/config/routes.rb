# frozen_string_literal: true

Rails.application.routes.draw do
  root "pages#show"
  get "/no_csp", to: "pages#no_csp"
  get "/unnonced", to: "pages#unnonced"
  get "/survey", to: "pages#survey"
  get "/context", to: "pages#context"
  get "/boom", to: "pages#boom"
  get "/refiner/identify", to: "refiner#identify"
end
