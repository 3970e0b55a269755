"""`manage.py identify_user ID --first-name F --last-name L --email E`: prints
what {% refiner_identify_user %} renders for that user (for make demo, which
compares it with the Express, Fastify and Rails integrations)."""

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.template import Context, Template
from django.test import RequestFactory


class Command(BaseCommand):
    help = "Print the identify script {% refiner_identify_user %} renders for one user"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("id", type=int)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        request = RequestFactory().get("/")
        # In memory: the tag needs an authenticated user with a pk, not a database.
        request.user = User(
            pk=options["id"], first_name=options["first_name"], last_name=options["last_name"], email=options["email"]
        )
        template = Template("{% load refiner %}{% refiner_identify_user %}")
        self.stdout.write(template.render(Context({"request": request})))
