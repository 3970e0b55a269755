# frozen_string_literal: true

require "test_helper"
require "rbs"

# sig/refiner_identity.rbs declares the renderers with the parameters they really take.
class TestChannelsSignature < Minitest::Test
  RENDERERS = %i[identify_call script_tag identify_payload gtm_traits gtm_script_tag survey_link survey_links].freeze

  def declared_methods
    loader = RBS::EnvironmentLoader.new
    loader.add(path: Pathname(File.expand_path("../sig", __dir__)))
    env = RBS::Environment.from_loader(loader).resolve_type_names
    RBS::DefinitionBuilder.new(env: env).build_instance(RBS::TypeName("::RefinerIdentity::Signer").absolute!).methods
  end

  def test_every_renderer_is_declared_with_its_parameters
    declared = declared_methods
    RENDERERS.each do |name|
      type = declared.fetch(name).method_types.first.type
      parameters = RefinerIdentity::Signer.instance_method(name).parameters
      required = parameters.select { |kind, _| kind == :req }.map { |param| param[1] }
      # A native method's parameters have no names: only their number can be compared.
      declared_required = type.required_positionals.map { |param| required.compact.empty? ? nil : param.name }
      assert_equal required, declared_required, name
      assert_equal parameters.select { |kind, _| kind == :key }.map { |param| param[1] }.sort, type.optional_keywords.keys.sort, name
      assert_empty type.required_keywords, name
    end
  end
end
