"""``{% load refiner %}``: the identify script and survey links for ``request.user``.

``{% refiner_identify_user %}`` renders ``<script nonce="...">_refiner('identifyUser',...)</script>``
for the logged-in user, with the request's CSP nonce when it has one (Django
6's ``csp_nonce`` context variable, else django-csp's ``request.csp_nonce``),
and nothing for an anonymous or refused user.

``{% refiner_survey_link url locale="de" tags="a,b" %}`` renders the survey
link signed for the logged-in user (nothing for an anonymous or refused one).
"""

import logging
from typing import Any, Union

from django import template
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from ..._native import InvalidOptionError
from .. import conf
from ..identity import Identified, outcome

register = template.Library()
logger = logging.getLogger("refiner_identity.django")


@register.simple_tag(takes_context=True)
def refiner_identify_user(context: template.Context) -> SafeString:
    request = _request(context, "refiner_identify_user")
    identified = _identified(request)
    if identified is None:
        return mark_safe("")
    nonce = _nonce(context, request)
    try:
        tag = conf.signer().script_tag(identified.user_id, **identified.fields(), nonce=nonce)
    except InvalidOptionError as error:
        # A nonce the core refuses would be blocked by the browser anyway; the
        # page renders without the call, and the message never shows the nonce.
        logger.warning("Refiner identify call left out for this request: %s", error)
        return mark_safe("")
    # The core escapes the user's data for a <script> element (SPEC section 9.2).
    return mark_safe(tag)


@register.simple_tag(takes_context=True)
def refiner_survey_link(
    context: template.Context, url: str, locale: Union[str, None] = None, tags: Any = None
) -> str:
    identified = _identified(_request(context, "refiner_survey_link"))
    if identified is None:
        return ""
    # Not marked safe: autoescaping writes the URL's & as &amp; inside href="...".
    return conf.signer().survey_link(url, identified.user_id, **identified.fields(), locale=locale, tags=tags)


def _identified(request: HttpRequest) -> Union[Identified, None]:
    result = outcome(request)
    return result if isinstance(result, Identified) else None


def _request(context: template.Context, tag: str) -> HttpRequest:
    request = getattr(context, "request", None)
    if request is None:
        request = context.get("request")
    if not isinstance(request, HttpRequest):
        raise ImproperlyConfigured(
            f"{{% {tag} %}} needs the request: render the template with it (render(request, ...)) "
            "or enable django.template.context_processors.request"
        )
    return request


def _nonce(context: template.Context, request: HttpRequest) -> Union[str, None]:
    # Django 6's csp() context processor, then django-csp's request attribute;
    # str() evaluates their lazy nonce, which adds it to the response's header.
    for nonce in (context.get("csp_nonce"), getattr(request, "csp_nonce", None)):
        if nonce is not None:
            text = str(nonce)
            if text:
                return text
    return None
