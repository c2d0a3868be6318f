"""Create an editor account (or make an existing account an editor).

    manage.py create_editor alice --email alice@example.org          # asks for the password
    printf '%s\n' "$PASSWORD" | manage.py create_editor alice --password-stdin

An editor is a staff member in the "Editor" group: posts, categories, feed sources and the
review queue, nothing else. Running it again for the same user changes nothing but what is
asked (idempotent), so it is safe in provisioning scripts.
"""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cxhub.roles import EDITOR_GROUP


class Command(BaseCommand):
    help = "Create an editor account for the admin, or give an existing account the Editor role."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="The editor's e-mail address.")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input (for scripts).",
        )

    def handle(self, *args, username, email, password_stdin, **options):
        stdin = options.get("stdin", sys.stdin)
        try:
            group = Group.objects.get(name=EDITOR_GROUP)
        except Group.DoesNotExist:
            raise CommandError(
                f"There is no “{EDITOR_GROUP}” group yet. Run `manage.py migrate` first."
            ) from None
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username, email=email)
        elif email:
            user.email = email

        password = None
        if password_stdin:
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("The first line of standard input is empty; no password.")
        elif created:
            if not stdin.isatty():
                raise CommandError(
                    "No password given. Run this in a terminal to be asked for one, or pipe it "
                    "in with --password-stdin."
                )
            password = self._ask_password()
        if password is not None:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError("Password not accepted: " + " ".join(error.messages)) from None
            user.set_password(password)

        user.is_staff = True
        user.is_active = True
        with transaction.atomic():
            user.save()
            user.groups.add(group)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created editor “{username}”."))
        else:
            note = " and set a new password" if password is not None else ""
            self.stdout.write(
                self.style.SUCCESS(f"“{username}” already existed; made it an editor{note}.")
            )

    def _ask_password(self) -> str:
        for _ in range(3):
            first = getpass.getpass("Password: ")
            if first and first == getpass.getpass("Password (again): "):
                return first
            self.stderr.write("The passwords are empty or differ; try again.")
        raise CommandError("No password set; nothing was created.")
