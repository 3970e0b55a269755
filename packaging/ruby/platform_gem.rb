# frozen_string_literal: true

# Usage: ruby platform_gem.rb GEMSPEC PLATFORM OUT_DIR ABI=EXTENSION...
#   e.g. platform_gem.rb refiner_identity.gemspec x86_64-linux dist 3.1=tmp/3.1/refiner_identity.so
#
# Writes the precompiled gem for PLATFORM: the gemspec's Ruby files, README and
# licences, each Ruby ABI's extension at lib/refiner_identity/<ABI>/ (where the
# loader looks first), nothing to compile, and required_ruby_version bounded
# to the ABIs inside.
require "fileutils"
require "rubygems/package"
require "tmpdir"

gemspec, platform, out_dir, *extensions = ARGV
abort "usage: platform_gem.rb GEMSPEC PLATFORM OUT_DIR ABI=EXTENSION..." if extensions.empty?
extensions = extensions.to_h { |pair| pair.split("=", 2) }
extensions.each_key { |abi| abort "not a Ruby ABI (major.minor): #{abi}" unless abi.match?(/\A\d+\.\d+\z/) }

source_dir = File.dirname(File.expand_path(gemspec))
spec = Dir.chdir(source_dir) { Gem::Specification.load(File.basename(gemspec)) } or abort "cannot load #{gemspec}"
ruby_files = spec.files.reject { |path| path.start_with?("ext/") }
shipped = extensions.to_h { |abi, file| ["lib/refiner_identity/#{abi}/refiner_identity#{File.extname(file)}", file] }
abis = extensions.keys.map { |abi| Gem::Version.new(abi) }.sort
newest_major, newest_minor = abis.last.segments

spec.files = ruby_files + shipped.keys
spec.extensions = []
spec.platform = Gem::Platform.new(platform)
spec.required_ruby_version = [">= #{abis.first}", "< #{newest_major}.#{newest_minor + 1}.dev"]

Dir.mktmpdir do |stage|
  ruby_files.map { |path| [path, File.join(source_dir, path)] }.concat(shipped.to_a).each do |path, from|
    FileUtils.mkdir_p(File.join(stage, File.dirname(path)))
    FileUtils.cp(from, File.join(stage, path))
  end
  Gem::DefaultUserInteraction.ui = Gem::SilentUI.new # no "Successfully built" banner
  built = Dir.chdir(stage) { Gem::Package.build(spec) }
  FileUtils.mv(File.join(stage, built), File.join(out_dir, built))
end
