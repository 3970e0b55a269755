"""Stands in for django-csp (not installed): for paths under /csp/, a fresh
nonce in request.csp_nonce and a strict Content-Security-Policy header."""

import secrets
from typing import Callable

from django.http import HttpRequest, HttpResponse


class NonceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/csp/"):
            return self.get_response(request)
        nonce = secrets.token_urlsafe(18)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["Content-Security-Policy"] = f"default-src 'none'; script-src 'nonce-{nonce}'"
        return response
