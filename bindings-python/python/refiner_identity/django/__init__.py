"""Refiner Identity Verification for Django: a settings key, a system check,
template tags and a JSON view.

    INSTALLED_APPS = [..., "refiner_identity.django"]
    REFINER_SECRET_KEY = ...  # or the environment variable of the same name

    {% load refiner %}{% refiner_identify_user %}

Django is imported by this package's modules only, never by
``refiner_identity`` itself.
"""
