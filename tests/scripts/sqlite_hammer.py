"""Readers and read-then-write writers hit one SQLite file at once; prints the errors seen.

Run by tests/test_sqlite_concurrency.py in a subprocess with DATABASE_URL pointing at a
fresh file, so the real settings (WAL, busy timeout, immediate transactions) are in force.
"""

import os
import sys
import threading

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxhub.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from posts.models import Post  # noqa: E402

call_command("migrate", verbosity=0)
errors: list[str] = []
WRITERS, WRITES, READERS, READS = 4, 25, 4, 150


def writer(n: int) -> None:
    try:
        for i in range(WRITES):
            with transaction.atomic():
                # Read first, then write: the pattern that deadlocks with deferred transactions.
                Post.objects.filter(title__startswith=f"w{n}-").count()
                Post.objects.create(title=f"w{n}-{i}", status="published")
    except Exception as exc:
        errors.append(f"writer: {exc!r}")
    finally:
        connection.close()


def reader() -> None:
    try:
        for _ in range(READS):
            list(Post.objects.published().values_list("title", flat=True)[:20])
    except Exception as exc:
        errors.append(f"reader: {exc!r}")
    finally:
        connection.close()


threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
threads += [threading.Thread(target=reader) for _ in range(READERS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print("journal_mode", cursor.fetchone()[0])
print("posts", Post.objects.count())
print("errors", len(errors))
for error in errors[:5]:
    print(error)
