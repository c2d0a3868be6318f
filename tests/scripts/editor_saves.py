"""An editor saving one post again and again, as the admin does, until told to stop; prints how
many saves there were, the median and the longest one, and the errors seen.

    python tests/scripts/editor_saves.py POST_ID STOP_FILE

Run by tests/newsroom/test_store_batches.py in a subprocess beside an ingest, with DATABASE_URL
pointing at a SQLite file, so the real settings (WAL, busy timeout, immediate transactions)
are in force. It stops when STOP_FILE exists, or after ten minutes.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxhub.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402

from posts.models import Post  # noqa: E402

post_id, stop = int(sys.argv[1]), Path(sys.argv[2])
saves, took, errors = 0, [], []
give_up = time.monotonic() + 600
print("ready", flush=True)
while not stop.exists() and time.monotonic() < give_up:
    started = time.perf_counter()
    try:
        # The admin's change view: read the post, then write it, in one transaction.
        with transaction.atomic():
            post = Post.objects.get(pk=post_id)
            post.excerpt = f"Edited {saves} times."
            post.save()
        saves += 1
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    took.append(time.perf_counter() - started)
    time.sleep(0.02)  # an editor is fast, but not a loop

print("saves", saves)
took.sort()
print("median", f"{took[len(took) // 2]:.3f}" if took else "-")
print("longest", f"{took[-1]:.3f}" if took else "-")
print("errors", len(errors))
for error in errors[:5]:
    print("error", error)
