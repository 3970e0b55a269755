"""The JSON endpoint for single-page apps and mobile backends:

    path("refiner/identify", refiner_identity.django.views.identify)

200 with ``{"user": {...}, "signature": "..."}`` for the logged-in user; 403
``{"error": "NotAuthenticated"}`` for an anonymous one (Django's answer to a
request it will not serve, as PermissionDenied gives); 500 ``{"error": KIND,
"field": FIELD}`` when the core refuses a field of the user (logged once).
Never cached: ``Cache-Control: no-store``.
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from .identity import Identified, Refused, outcome


@require_safe
def identify(request: HttpRequest) -> JsonResponse:
    result = outcome(request)
    if isinstance(result, Identified):
        response = JsonResponse(result.payload)
    elif isinstance(result, Refused):
        response = JsonResponse({"error": result.kind, "field": result.field}, status=500)
    else:
        response = JsonResponse({"error": "NotAuthenticated"}, status=403)
    response["Cache-Control"] = "no-store"
    return response
