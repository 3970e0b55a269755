"""A small Django project using refiner_identity.django as its users would.

The Refiner key comes from the environment variable REFINER_SECRET_KEY (the
in-process tests set the setting instead). TESTSITE_SETTINGS, a
Python literal dict, overrides settings for the `manage.py check` tests.
"""

import ast
import os

SECRET_KEY = "django-session-key-for-the-test-project-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
USE_TZ = True
ROOT_URLCONF = "testsite.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "refiner_identity.django",  # the system check, {% load refiner %} and the JSON view
    "testsite",
]
# The key: the REFINER_SECRET_KEY setting, else the environment variable of
# that name (REFINER_PREVIOUS_SECRET_KEYS: older keys verify still accepts).
REFINER_USER_TRAITS = "testsite.users.refiner_fields"  # user -> {"email", "name", "traits"}

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "testsite.csp.NonceMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    }
]
# LiveServerThread serves MEDIA_URL from MEDIA_ROOT; keep that to /media/.
MEDIA_URL = "/media/"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

globals().update(ast.literal_eval(os.environ.get("TESTSITE_SETTINGS", "{}")))
