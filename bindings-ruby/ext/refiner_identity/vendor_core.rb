# frozen_string_literal: true

# Copies the repository's core crate to ext/refiner_identity/vendor/refiner-identity,
# as `cargo package` writes it (workspace settings resolved), so that the
# extension's Cargo.toml finds it at the same path in the repository and in the gem.
module RefinerIdentityVendor
  EXT_DIR = __dir__
  VENDORED = File.join(EXT_DIR, "vendor", "refiner-identity")
  REPO_ROOT = File.expand_path("../../..", EXT_DIR)

  def self.vendored?
    File.exist?(File.join(VENDORED, "Cargo.toml"))
  end

  def self.in_repository?
    File.exist?(File.join(REPO_ROOT, "core", "Cargo.toml"))
  end

  def self.vendor!
    require "fileutils"
    require "tmpdir"
    Dir.mktmpdir do |tmp|
      run("cargo", "package", "-q", "-p", "refiner-identity", "--no-verify", "--allow-dirty",
          "--manifest-path", File.join(REPO_ROOT, "Cargo.toml"), "--target-dir", tmp)
      crate = Dir[File.join(tmp, "package", "refiner-identity-*.crate")].first or raise "cargo package wrote no crate"
      # -m: fresh mtimes, or cargo would take the new sources for the old (cargo package fixes mtimes).
      run("tar", "-xzmf", crate, "-C", tmp)
      FileUtils.rm_rf(VENDORED)
      FileUtils.mkdir_p(File.dirname(VENDORED))
      FileUtils.mv(File.join(tmp, File.basename(crate, ".crate")), VENDORED)
    end
  end

  def self.run(*command)
    system(*command, exception: true)
  end
end
