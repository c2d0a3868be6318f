"""Import or export feed sources as OPML, the subscription-list format of every feed reader."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.models import FeedSource
from newsroom.opml import OpmlError, export_opml, import_opml


class Command(BaseCommand):
    help = "Import feed sources from an OPML file, or export them to one."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write all sources as OPML.")
        export.add_argument("file", nargs="?", help="Output file (default: standard output).")
        imp = sub.add_parser("import", help="Add the feeds of an OPML file as sources.")
        imp.add_argument("file", help="The OPML file.")
        imp.add_argument("--dry-run", action="store_true", help="Report only, save nothing.")

    def handle(self, *args, action, file=None, dry_run=False, **options):
        if action == "export":
            content = export_opml(
                FeedSource.objects.prefetch_related("default_categories").order_by("name")
            )
            if file:
                Path(file).write_bytes(content)
                self.stdout.write(f"Wrote {FeedSource.objects.count()} sources to {file}.")
            else:
                self.stdout.write(content.decode("utf-8"), ending="")
            return
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        try:
            report = import_opml(path.read_bytes(), dry_run=dry_run)
        except OpmlError as exc:
            raise CommandError(f"{file}: {exc}") from None
        self.stdout.write(("Dry run, nothing saved. " if dry_run else "") + str(report))
