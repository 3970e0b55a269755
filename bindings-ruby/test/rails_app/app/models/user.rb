# frozen_string_literal: true

# The application's users, without a database: the tests log in with the
# X-Test-User header (ApplicationController#current_user).
class User
  attr_reader :id, :email, :name, :plan

  def initialize(id: nil, email: nil, name: nil, plan: nil, persisted: false)
    @id = id
    @email = email
    @name = name
    @plan = plan
    @persisted = persisted
  end

  # Everything a page must keep as text: the end of a script, a comment
  # opener, U+2028 (a line break for old JavaScript parsers) and quotes.
  HOSTILE = %(</script><script>window.pwned=1</script> <!-- \u2028 "double" 'single' \\ & >)

  ALL = {
    "ada" => new(id: 42, email: "ada@example.com", name: "Ada Lovelace", plan: "pro", persisted: true),
    "hostile" => new(id: "user-#{HOSTILE}", email: "h@example.com", name: "Eve #{HOSTILE}", plan: HOSTILE, persisted: true),
    # A client-side id, not saved yet: not a user Refiner should hear of.
    "unsaved" => new(id: "pending-1", email: "new@example.com", name: "Not Saved", persisted: false),
    "no_id" => new(email: "noid@example.com", name: "No Id", persisted: true),
    "bad_trait" => new(id: 7, email: "b@example.com", name: "Bad Trait", plan: 1.5, persisted: true),
    "bad_id" => new(id: "", email: "e@example.com", name: "Empty Id", plan: "pro", persisted: true),
    "float_id" => new(id: 4.2, email: "f@example.com", name: "Float Id", plan: "pro", persisted: true)
  }.freeze

  def self.find_by_login(login)
    ALL[login]
  end

  def persisted?
    @persisted
  end
end
