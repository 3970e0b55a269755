"""``manage.py check``: the key settings, as errors refiner_identity.E001 to E007
that say what is wrong and where, never the key."""

from typing import Any

from django.core import checks

from . import conf


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for loaded in (conf.load_signer(), conf.load_user_fields()):
        if isinstance(loaded, conf.Problem):
            errors.append(checks.Error(loaded.msg, hint=loaded.hint, id=loaded.id))
    return errors
