"""Running management commands in tests: their output as text."""

from io import StringIO

from django.core.management import call_command


def command_output(name: str, *args, **options) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out, **options)
    return out.getvalue()
