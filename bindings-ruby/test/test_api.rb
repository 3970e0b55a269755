# frozen_string_literal: true

require "test_helper"
require "open3"
require "rbconfig"

# The public surface: hierarchy, version, types, rotation, load-time checks.
class TestApi < Minitest::Test
  include TestHelper

  def test_exception_hierarchy
    assert_operator RefinerIdentity::Error, :<, ArgumentError
    assert_operator RefinerIdentity::InvalidSecretError, :<, RefinerIdentity::Error
    assert_operator RefinerIdentity::InvalidUserIdError, :<, RefinerIdentity::Error
  end

  def test_version_is_the_gemspec_version
    spec = Gem::Specification.load(File.expand_path("../refiner_identity.gemspec", __dir__))
    assert_equal spec.version.to_s, RefinerIdentity::VERSION
  end

  def test_type_errors_name_the_accepted_types
    [nil, true, false, 1.5, :sym, [1], Object.new].each do |bad|
      error = assert_raises(TypeError) { RefinerIdentity.sign("key", bad) }
      assert_match(/String or an Integer/, error.message)
    end
    assert_raises(TypeError) { RefinerIdentity::Signer.new(nil) }
    assert_raises(TypeError) { RefinerIdentity::Signer.new(:key) }
    assert_raises(TypeError) { RefinerIdentity::Signer.new("key", previous: "old") }
    assert_raises(TypeError) { RefinerIdentity.verify("key", "42", nil) }
  end

  def test_strings_sign_their_raw_bytes_in_any_encoding
    text = "José"
    [text, text.encode(Encoding::ISO_8859_1), text.encode(Encoding::UTF_16LE), text.b].each do |id|
      assert_equal reference("key", id), RefinerIdentity.sign("key", id), id.encoding.to_s
    end
  end

  def test_malformed_signatures_are_false
    good = RefinerIdentity.sign("key", "42")
    ["", good[1..], "#{good}0", "g" * 64, " #{good[1..]}", "é" * 32].each do |bad|
      refute RefinerIdentity.verify("key", "42", bad), bad.inspect
    end
  end

  def test_previous_keys_verify_but_never_sign
    old = reference("old-key", "42")
    signer = RefinerIdentity::Signer.new("new-key", previous: ["old-key"])
    assert signer.verify("42", old)
    assert_equal reference("new-key", "42"), signer.sign(42)
    error = assert_raises(RefinerIdentity::InvalidSecretError) { RefinerIdentity::Signer.new("k", previous: ["ok", "bad\n"]) }
    assert_match(/previous\[1\]/, error.message)
  end

  def test_dup_and_clone_return_the_same_immutable_signer
    signer = RefinerIdentity::Signer.new("key", previous: ["old"])
    assert_predicate signer, :frozen?
    assert_same signer, signer.dup
    assert_same signer, signer.clone
    assert_same signer, signer.clone(freeze: true)
    error = assert_raises(ArgumentError) { signer.clone(freeze: false) }
    assert_match(/immutable/, error.message)
    assert_equal reference("key", "42"), signer.dup.sign("42")
    assert_predicate RefinerIdentity::Signer.from_env("PATH"), :frozen?
  end

  def test_the_unfrozen_constructors_are_private
    # They return a Signer before new/from_env freeze it.
    assert_raises(NoMethodError) { RefinerIdentity::Signer._build("key", []) }
    assert_raises(NoMethodError) { RefinerIdentity::Signer._from_env("PATH") }
    refute RefinerIdentity::Signer.respond_to?(:_build)
    refute RefinerIdentity::Signer.respond_to?(:_from_env)
  end

  def test_default_secret_env_comes_from_the_extension
    lib = File.expand_path("../lib", __dir__)
    script = 'require "refiner_identity/errors"; require "refiner_identity/refiner_identity"; ' \
             "print RefinerIdentity::DEFAULT_SECRET_ENV, RefinerIdentity::DEFAULT_SECRET_ENV.frozen?"
    out, err, status = Open3.capture3(RbConfig.ruby, "-I", lib, "-e", script)
    assert status.success?, err
    assert_equal "REFINER_SECRET_KEYtrue", out
  end

  def test_extension_without_its_error_classes_fails_at_require
    lib = File.expand_path("../lib", __dir__)
    script = 'module RefinerIdentity; end; require "refiner_identity/refiner_identity"'
    _out, err, status = Open3.capture3(RbConfig.ruby, "-I", lib, "-e", script)
    refute status.success?
    assert_match(/RefinerIdentity::Error is not defined/, err)
  end
end
