"""Restore an archive written by `backup` into the configured database and MEDIA_ROOT.

    manage.py restore cxhub-backup-20250301-0200.tar.gz           # into an empty hub
    manage.py restore cxhub-backup-20250301-0200.tar.gz --force   # replace what is there

Checks the whole archive against its manifest (sizes, sha256) before it changes anything,
refuses an archive of another database vendor, and compares the restored row counts with the
manifest at the end. Stop the hub while it runs, start it again afterwards.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import Error as DatabaseError
from django.db import connection

from cxhub.backups.archive import BackupError
from cxhub.backups.restore import restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive into the configured database and MEDIA_ROOT."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="a .tar.gz written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the database and overwrite media files even when they hold data",
        )

    def handle(self, *args, archive: str, force: bool, **options) -> None:
        try:
            report = restore_backup(
                Path(archive),
                connection=connection,
                media_root=Path(settings.MEDIA_ROOT),
                force=force,
                progress=self.stdout.write if options["verbosity"] else _quiet,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            raise CommandError(
                f"The database failed: {error}\nCheck DATABASE_URL and that the database server "
                "is running (and the database exists: createdb)."
            ) from None
        if report.extra_media:
            self.stdout.write(
                f"{report.extra_media} file(s) under MEDIA_ROOT are not in the backup; they were "
                "left in place."
            )
        if report.extra_tables:
            self.stdout.write(
                "Tables not in the backup were left in place: " + ", ".join(report.extra_tables)
            )
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        if report.count_mismatches:
            raise CommandError(
                "Restored, but the row counts differ from the backup's manifest:\n  "
                + "\n  ".join(report.count_mismatches)
                + "\nCheck the database before starting the hub; restore again with --force."
            )
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored {report.rows:,} rows in {report.tables} tables (the counts match "
                    f"the backup) and {report.media_files:,} media file(s)."
                )
            )


def _quiet(message: str) -> None:
    pass
