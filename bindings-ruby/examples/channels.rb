# Every Refiner channel for one user: run with REFINER_SECRET_KEY set,
#   REFINER_SECRET_KEY=demo-secret ruby examples/channels.rb
require "date"
require "refiner_identity"

signer = RefinerIdentity::Signer.from_env # reads REFINER_SECRET_KEY
user = {
  email: "ada@example.com",
  name: "Ada </script> Lovelace",
  traits: { plan: "pro", seats: 5, signed_up: Date.new(2024, 1, 15), last_seen: Time.utc(2024, 6, 1, 12, 30) }
}

# In an ERB layout: <%== signer.script_tag(current_user.id, nonce: content_security_policy_nonce, ...) %>
puts signer.identify_call(42, **user)
puts signer.script_tag(42, **user, nonce: "r4nd0m")
puts signer.identify_payload(42, **user).inspect # render json: ... in a controller
puts signer.gtm_traits(42, **user).inspect
puts signer.gtm_script_tag(42, **user)
puts signer.survey_link("https://survey.refiner.io/s/abc123?source=email", 42, **user,
                        locale: "en", tags: %w[beta onboarding], response: { campaign: "spring" })
puts signer.survey_links("https://survey.refiner.io/s/abc123", [{ id: 42 }, { id: "user-7", email: "grace@example.com" }])
