# frozen_string_literal: true

module RefinerIdentity
  module Rails
    # One request's outcome for a user, shared by the view helpers and the
    # endpoint: anonymous (no user, an unsaved one, or no id), rendered, or
    # refused by the core (logged once as a warning naming the field; the
    # page still renders, without the identify call). A bad nonce, survey URL,
    # locale or tags is the app's own configuration: InvalidOptionError is raised.
    module Identify
      # What the core refused: the field it named and the error's class name.
      Refused = Struct.new(:field, :kind)

      module_function

      # The identity Hash for the renderers, or nil for an anonymous user.
      # +email:+ / +name:+ default to the user's own (when it has them);
      # each attribute is read once.
      def identity(user, email: :from_user, name: :from_user, traits: {})
        return nil if user.nil?
        return nil if user.respond_to?(:persisted?) && !user.persisted?

        id = user.id
        return nil if id.nil?

        {
          id: id,
          email: email == :from_user ? attribute(user, :email) : email,
          name: name == :from_user ? attribute(user, :name) : name,
          traits: utc_times(traits)
        }
      end

      # Hash's own methods, captured at load time: a Hash subclass (or a patch
      # made later) cannot change what they read.
      EACH_PAIR = ::Hash.instance_method(:each_pair)
      COMPARE_BY_IDENTITY = ::Hash.instance_method(:compare_by_identity?)
      private_constant :EACH_PAIR, :COMPARE_BY_IDENTITY

      # Active Record gives datetime columns as ActiveSupport::TimeWithZone,
      # which is not a Time (the extension reads values through the C API and
      # refuses it): such a trait is sent as its UTC Time, the same instant.
      # Every other entry is kept as given, duplicate names of a
      # compare_by_identity Hash included (so the core still refuses them).
      def utc_times(traits)
        return traits unless ::Hash === traits # Module#===: the real class, not is_a?

        utc = {}
        utc.compare_by_identity if COMPARE_BY_IDENTITY.bind_call(traits)
        zoned = false
        EACH_PAIR.bind_call(traits) do |name, value|
          if ActiveSupport::TimeWithZone === value
            zoned = true
            value = value.utc
          end
          utc[name] = value
        end
        zoned ? utc : traits
      end

      # Yields the identity's fields to the renderer and returns what it
      # returns; nil for an anonymous user; a Refused when the core refuses a
      # field, after one warning in the Rails log.
      def render(user, email: :from_user, name: :from_user, traits: {})
        fields = identity(user, email: email, name: name, traits: traits)
        return nil if fields.nil?

        begin
          yield fields
        rescue InvalidUserIdError, InvalidTraitError, TypeError => e # the user's data, checked by the core
          refused(e)
        end
      end

      def attribute(user, name)
        user.respond_to?(name) ? user.public_send(name) : nil
      end

      def refused(error)
        field = field_of(error)
        ::Rails.logger&.warn("refiner_identity: user not identified (#{field}): #{error.message}")
        Refused.new(field, error.class.name.split("::").last)
      end

      # The field a renderer's error names (never a value: the core's
      # messages name the field and the accepted types only).
      def field_of(error)
        message = error.message
        return "traits.#{Regexp.last_match(1)}" if message =~ /\Ainvalid trait "([A-Za-z0-9_]*)"/
        return "response.#{Regexp.last_match(1)}" if message =~ /\Ainvalid response value "([A-Za-z0-9_]*)"/
        return Regexp.last_match(1) if message =~ /\Ainvalid (email|name)\b/
        return "id" if error.is_a?(InvalidUserIdError) || message.start_with?("user_id")
        return "traits" if message.start_with?("traits")

        "identity"
      end
    end
  end
end
