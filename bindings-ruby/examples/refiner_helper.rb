# app/helpers/refiner_helper.rb: the logged-in user's Refiner signature, for your own
# JSON or a mobile SDK. For the page's identify script use the Railtie's
# refiner_identify_user_tag (below): it escapes the user's JSON for <script>.
module RefinerHelper
  # Once per process: the key is validated here, not on every request.
  REFINER_SIGNER = RefinerIdentity::Signer.from_env # reads REFINER_SECRET_KEY

  def refiner_signature
    REFINER_SIGNER.sign(current_user.id)
  end
end
