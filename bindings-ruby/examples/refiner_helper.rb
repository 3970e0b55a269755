# app/helpers/refiner_helper.rb: the logged-in user's Refiner signature, for the layout:
#   <%= javascript_tag "_refiner('identifyUser', { id: '#{current_user.id}' }, { signature: '#{refiner_signature}' })" %>
module RefinerHelper
  # Once per process: the key is validated here, not on every request.
  REFINER_SIGNER = RefinerIdentity::Signer.from_env # reads REFINER_SECRET_KEY

  def refiner_signature
    REFINER_SIGNER.sign(current_user.id)
  end
end
