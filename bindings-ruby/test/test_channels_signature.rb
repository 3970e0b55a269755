# frozen_string_literal: true

require "test_helper"
require "open3"
require "rbconfig"

# sig/refiner_identity.rbs declares the renderers with the parameters they really take.
class TestChannelsSignature < Minitest::Test
  RENDERERS = %i[identify_call script_tag identify_payload gtm_traits gtm_script_tag survey_link survey_links].freeze

  # Read by the rbs gem in a fresh process: other tests compact the heap, and
  # rbs 2.1's parser keeps class references that compaction can move.
  DECLARED = <<~RUBY
    require "json"
    require "rbs"
    loader = RBS::EnvironmentLoader.new
    loader.add(path: Pathname(ARGV.fetch(0)))
    env = RBS::Environment.from_loader(loader).resolve_type_names
    methods = RBS::DefinitionBuilder.new(env: env).build_instance(RBS::TypeName("::RefinerIdentity::Signer").absolute!).methods
    puts JSON.generate(ARGV.drop(1).to_h do |name|
      type = methods.fetch(name.to_sym).method_types.first.type
      [name, { required: type.required_positionals.map(&:name), optional: type.optional_keywords.keys,
               required_keywords: type.required_keywords.keys }]
    end)
  RUBY

  def declared
    out, err, status = Open3.capture3(RbConfig.ruby, "-e", DECLARED, File.expand_path("../sig", __dir__), *RENDERERS.map(&:to_s))
    assert status.success?, err
    JSON.parse(out)
  end

  def test_every_renderer_is_declared_with_its_parameters
    declared.each do |name, type|
      parameters = RefinerIdentity::Signer.instance_method(name).parameters
      required = parameters.select { |kind, _| kind == :req }.map { |param| param[1]&.to_s }
      # A native method's parameters have no names: only their number can be compared.
      declared_required = type["required"].map { |param| required.compact.empty? ? nil : param }
      assert_equal required, declared_required, name
      assert_equal parameters.select { |kind, _| kind == :key }.map { |param| param[1].to_s }.sort, type["optional"].sort, name
      assert_empty type["required_keywords"], name
    end
    assert_equal RENDERERS.map(&:to_s), declared.keys
  end
end
