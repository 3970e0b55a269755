# views.py: hand the logged-in user's Refiner signature to the page.
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from refiner_identity import Signer

# Once per process: the key is validated here, not on every request.
signer = Signer.from_env()  # reads REFINER_SECRET_KEY


@login_required
def refiner_identity(request):
    user_id = request.user.pk
    # In the page: _refiner('identifyUser', {id: data.id}, {signature: data.signature})
    return JsonResponse({"id": str(user_id), "signature": signer.sign(user_id)})
