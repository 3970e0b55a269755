from django.urls import path

import refiner_identity.django.views

from . import views

urlpatterns = [
    path("page/", views.page),
    path("csp/page/", views.page),
    path("page-without-request/", views.page_without_request),
    path("refiner/identify", refiner_identity.django.views.identify),
    path("browser/", views.browser_page),
    path("csp/browser/", views.browser_page),
    path("csp/browser-without-nonce/", views.browser_page_without_nonce),
    path("boom/", views.boom),
]
