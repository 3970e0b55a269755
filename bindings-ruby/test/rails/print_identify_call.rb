# frozen_string_literal: true

# Prints the identify call the test app's layout renders for a user (default
# "ada": id 42, ada@example.com, "Ada Lovelace", plan "pro"), key from
# REFINER_SECRET_KEY, for `make demo` to set beside the other frameworks':
#   REFINER_SECRET_KEY=demo-secret ruby -Ibindings-ruby/lib bindings-ruby/test/rails/print_identify_call.rb [login]
ENV["RAILS_ENV"] = "test"
require_relative "../rails_app/config/environment"
require "rack/mock"

login = ARGV.fetch(0, "ada")
response = Rack::MockRequest.new(Rails.application).get("/no_csp", "HTTP_X_TEST_USER" => login)
abort "refiner_identity demo: GET /no_csp answered #{response.status}" unless response.status == 200
call = response.body[/_refiner\('identifyUser',.*?\);(?=<\/script>)/]
abort "refiner_identity demo: no identify call for #{login.inspect}" if call.nil?
puts call
