# frozen_string_literal: true

# Boots test/rails_app in a fresh process (the environment picks the key's
# source) and prints the signature of "42", for test_rails_boot.rb.
require_relative "../rails_app/config/environment"
puts RefinerIdentity::Rails.signer.sign("42")
