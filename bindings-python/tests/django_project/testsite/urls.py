from django.urls import path

import refiner_identity.django.views

urlpatterns = [
    # {"user": {...}, "signature": "..."} for single-page and mobile apps; 403 when nobody is logged in.
    path("refiner/identify", refiner_identity.django.views.identify),
]

# The test project's own pages (the README shows the part above).
from . import views  # noqa: E402

urlpatterns += [
    path("page/", views.page),
    path("csp/page/", views.page),
    path("page-without-request/", views.page_without_request),
    path("browser/", views.browser_page),
    path("csp/browser/", views.browser_page),
    path("csp/browser-without-nonce/", views.browser_page_without_nonce),
    path("boom/", views.boom),
]
