"""Refiner Identity Verification signatures.

The signature Refiner expects is the lowercase hex HMAC-SHA256 of the user id
under your environment's secret key; this package computes it with the same
Rust core as the Node and Ruby packages, byte for byte what Refiner's
documented Node, PHP and Ruby snippets produce.

>>> from refiner_identity import Signer
>>> signer = Signer("demo-secret-key-do-not-use-in-production")
>>> signer.sign("user_42")
'f48f7041433968a98fa3a2bc45cee76f023e1be99822f1520726c5a79fd19508'

The same Signer renders where the signature goes (SPEC.md section 9):
``identify_call``, ``script_tag``, ``identify_payload``, ``gtm_traits``,
``gtm_script_tag``, ``survey_link`` and ``survey_links``.

>>> signer.survey_link("https://refiner.example/s/abc", 7, locale="de")
'https://refiner.example/s/abc?contact_id=7&signature=273149ef9517d058fcb1a1d6c90644e5e4a729d04bd7c71114ddf4b4cd31b717&locale=de'
"""

from ._native import (
    DEFAULT_SECRET_ENV,
    ArrowStringArray,
    InvalidOptionError,
    InvalidSecretError,
    InvalidTraitError,
    InvalidUserIdError,
    RefinerIdentityError,
    Signer,
    __version__,
    sign,
    verify,
)

__all__ = [
    "DEFAULT_SECRET_ENV",
    "ArrowStringArray",
    "InvalidOptionError",
    "InvalidSecretError",
    "InvalidTraitError",
    "InvalidUserIdError",
    "RefinerIdentityError",
    "Signer",
    "__version__",
    "sign",
    "verify",
]
