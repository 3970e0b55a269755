# frozen_string_literal: true

# Decodes the tagged values of tests/vectors/vectors.json (and the conformance
# suite's cases) into Ruby values. Shared by the tests and the conformance driver.
module Tagged
  module_function

  def ruby_value(tagged)
    tag, value = tagged.first
    case tag
    when "text" then value.dup.force_encoding(Encoding::UTF_8)
    when "hex" then [value].pack("H*")
    when "int" then Integer(value, 10)
    when "float" then { "NaN" => Float::NAN, "Infinity" => Float::INFINITY }.fetch(value) { Float(value) }
    when "bool", "list", "null" then value
    else raise ArgumentError, "tag #{tag} has no Ruby value"
    end
  end
end
