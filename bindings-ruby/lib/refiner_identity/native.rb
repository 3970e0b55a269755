# frozen_string_literal: true

module RefinerIdentity
  # Loads the extension: the precompiled one for this Ruby (platform gems carry
  # lib/refiner_identity/<major.minor>/refiner_identity.so, one per Ruby ABI),
  # else the one built from source (the source gem, or `rake compile`).
  module Native
    RUBY_ABI = RUBY_VERSION[/\A\d+\.\d+/]

    def self.load!
      require_relative "#{RUBY_ABI}/refiner_identity"
    rescue LoadError => precompiled_error
      begin
        require "refiner_identity/refiner_identity"
      rescue LoadError => source_error
        raise LoadError, missing_message(precompiled_error, source_error)
      end
    end

    def self.missing_message(precompiled_error, source_error)
      precompiled = Dir[File.join(__dir__, "[0-9]*.[0-9]*", "refiner_identity.*")].map { |so| File.basename(File.dirname(so)) }
      "refiner_identity: no native extension for Ruby #{RUBY_ABI} on #{RUBY_PLATFORM}. " \
        "This gem's precompiled extensions: #{precompiled.empty? ? 'none' : precompiled.sort.join(', ')}; " \
        "none was built from source either. Install the source gem " \
        "(gem install refiner_identity --platform ruby), which needs Rust >= 1.88. " \
        "(#{precompiled_error.message}; #{source_error.message})"
    end
    private_class_method :missing_message
  end
  private_constant :Native

  Native.load!
end
