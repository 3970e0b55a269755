"""Refiner Identity Verification signatures.

The signature Refiner expects is the lowercase hex HMAC-SHA256 of the user id
under your environment's secret key; this package computes it with the same
Rust core as the Node and Ruby packages, byte for byte what Refiner's
documented Node, PHP and Ruby snippets produce.

>>> from refiner_identity import Signer
>>> signer = Signer("demo-secret-key-do-not-use-in-production")
>>> signer.sign("user_42")
'f48f7041433968a98fa3a2bc45cee76f023e1be99822f1520726c5a79fd19508'
"""

from ._native import (
    DEFAULT_SECRET_ENV,
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
