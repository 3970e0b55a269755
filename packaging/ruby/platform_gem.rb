# frozen_string_literal: true

# Usage: ruby platform_gem.rb GEMSPEC PLATFORM EXTENSION.so OUT_DIR
#
# Writes the precompiled gem for PLATFORM and the running Ruby's ABI: the
# gemspec's Ruby files, README and licences, plus the extension at
# lib/refiner_identity/<ruby minor>/refiner_identity.so (where the loader looks
# first), nothing to compile, and required_ruby_version bounded to that ABI.
require "fileutils"
require "rubygems/package"
require "tmpdir"

gemspec, platform, extension, out_dir = ARGV
abort "usage: platform_gem.rb GEMSPEC PLATFORM EXTENSION.so OUT_DIR" unless out_dir

source_dir = File.dirname(File.expand_path(gemspec))
major, minor = RUBY_VERSION.split(".").map(&:to_i)
abi = "#{major}.#{minor}"
spec = Dir.chdir(source_dir) { Gem::Specification.load(File.basename(gemspec)) } or abort "cannot load #{gemspec}"

ruby_files = spec.files.reject { |path| path.start_with?("ext/") }
shipped_extension = "lib/refiner_identity/#{abi}/refiner_identity.so"
spec.files = ruby_files + [shipped_extension]
spec.extensions = []
spec.platform = Gem::Platform.new(platform)
spec.required_ruby_version = [">= #{abi}", "< #{major}.#{minor + 1}.dev"]

Dir.mktmpdir do |stage|
  ruby_files.each do |path|
    FileUtils.mkdir_p(File.join(stage, File.dirname(path)))
    FileUtils.cp(File.join(source_dir, path), File.join(stage, path))
  end
  FileUtils.mkdir_p(File.join(stage, File.dirname(shipped_extension)))
  FileUtils.cp(extension, File.join(stage, shipped_extension))
  Gem::DefaultUserInteraction.ui = Gem::SilentUI.new # no "Successfully built" banner
  built = Dir.chdir(stage) { Gem::Package.build(spec) }
  FileUtils.mv(File.join(stage, built), File.join(out_dir, built))
end
