# frozen_string_literal: true

module RefinerIdentity
  # The gem's version: the single source (the gemspec and tests read it).
  VERSION = "0.1.0"
end
