"""The Django app: registers the system check that validates the key."""

from django.apps import AppConfig
from django.core import checks


class RefinerIdentityConfig(AppConfig):
    name = "refiner_identity.django"
    # The last component ("django") would be a confusing app label.
    label = "refiner_identity"
    verbose_name = "Refiner Identity Verification"

    def ready(self) -> None:
        from .checks import check_settings

        checks.register(check_settings, checks.Tags.security)
