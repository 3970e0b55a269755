"""Sets Django up once for the tests with the project in django_project/
(settings testsite.settings) and an in-memory test database; the helpers the
Django tests share."""
from __future__ import annotations

import os
import pathlib
import sys

PROJECT = pathlib.Path(__file__).resolve().parent / "django_project"
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

if settings.configured:
    # Another test module configured Django before us, without this project.
    assert "testsite" in settings.INSTALLED_APPS, "Django was configured without the test project"
else:
    os.environ["DJANGO_SETTINGS_MODULE"] = "testsite.settings"
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)

from django.contrib.auth.models import User  # noqa: E402

_users = 0


def make_user(first_name: str = "Jane", last_name: str = "Doe", email: str = "jane@example.com") -> User:
    """A saved user with a unique username."""
    global _users
    _users += 1
    return User.objects.create(
        username=f"user{_users}", first_name=first_name, last_name=last_name, email=email
    )

