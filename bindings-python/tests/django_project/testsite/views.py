"""The test project's pages: the layout a user of the app would write, and
the browser test's pages (a stub _refiner that records its arguments)."""

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import Context, Template

from .users import HOSTILE

# The browser test's user, in memory: chromium has no session to log in with.
BROWSER_USER_PK = 4711
BROWSER_USER = {"first_name": HOSTILE, "last_name": "Hostile", "email": "jane@example.com"}


def page(request: HttpRequest) -> HttpResponse:
    return render(request, "page.html", {"survey_url": "https://refiner.example/s/abc?src=mail"})


def page_without_request(request: HttpRequest) -> HttpResponse:
    # A template rendered without the request: the tag cannot know the user.
    return HttpResponse(Template("{% load refiner %}{% refiner_identify_user %}").render(Context({})))


def browser_page(request: HttpRequest) -> HttpResponse:
    request.user = User(pk=BROWSER_USER_PK, username="jane", **BROWSER_USER)
    return render(request, "browser.html", {"stub_nonce": getattr(request, "csp_nonce", "")})


def browser_page_without_nonce(request: HttpRequest) -> HttpResponse:
    # The policy still names the nonce, but the identify tag cannot see it.
    stub_nonce = request.csp_nonce  # type: ignore[attr-defined]
    del request.csp_nonce  # type: ignore[attr-defined]
    request.user = User(pk=BROWSER_USER_PK, username="jane", **BROWSER_USER)
    return render(request, "browser.html", {"stub_nonce": stub_nonce})


def boom(request: HttpRequest) -> HttpResponse:
    # An unrelated failure after the page identified the user: the debug page
    # shows this frame's locals, the request and the settings.
    render(request, "page.html", {"survey_url": "https://refiner.example/s/abc"})
    raise RuntimeError("boom after identifying the user")
