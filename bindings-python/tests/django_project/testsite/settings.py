"""A small Django project using refiner_identity.django as its users would.

The Refiner key comes from the environment variable REFINER_SECRET_KEY (the
tests set the setting instead where they need one). TESTSITE_SETTINGS, a
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
    "refiner_identity.django",
    "testsite",
]
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

REFINER_USER_TRAITS = "testsite.users.refiner_fields"

globals().update(ast.literal_eval(os.environ.get("TESTSITE_SETTINGS", "{}")))
