"""Write the whole hub into one archive: database, uploaded media, manifest.

    manage.py backup                              # ./cxhub-backup-YYYYmmdd-HHMMSS.tar.gz
    manage.py backup /var/backups/cxhub/          # that name, in that folder
    manage.py backup /var/backups/cxhub/latest.tar.gz

Safe while the hub runs: the database is copied from one consistent snapshot. The archive
appears under its name only once it is complete; `restore` reads it back (cxhub/backup.py).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import Error as DatabaseError
from django.db import connection

from cxhub.backups.archive import BackupError
from cxhub.backups.create import create_backup, default_name


class Command(BaseCommand):
    help = "Back up the database and the media files into one .tar.gz archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default=".",
            help="the archive to write, or a folder for cxhub-backup-<date>-<time>.tar.gz "
            "(default: the current folder); an existing archive is replaced",
        )

    def handle(self, *args, path: str, **options) -> None:
        destination = Path(path)
        if destination.is_dir():
            destination = destination / default_name()
        try:
            manifest = create_backup(
                destination,
                connection=connection,
                media_root=Path(settings.MEDIA_ROOT),
                progress=self.stdout.write if options["verbosity"] else _quiet,
            )
        except BackupError as error:
            raise CommandError(f"{error}\nNo archive was written.") from None
        except DatabaseError as error:
            raise CommandError(
                f"The database failed: {error}\nCheck DATABASE_URL and that the database server "
                "is running. No archive was written."
            ) from None
        except OSError as error:
            raise CommandError(
                f"The backup failed: {error}. No archive was written; check that "
                f"{destination.parent} has room and every file under MEDIA_ROOT is readable."
            ) from None
        if options["verbosity"]:
            size = destination.stat().st_size / 1024 / 1024
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backup written to {destination} ({size:,.1f} MB): "
                    f"{sum(manifest.row_counts.values()):,} rows, "
                    f"{len(manifest.media_files):,} media file(s)."
                )
            )


def _quiet(message: str) -> None:
    pass
