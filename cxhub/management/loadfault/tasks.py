"""The harness's own work inside the hub it tests, run as child processes with the hub's settings.

    python -m cxhub.management.loadfault.tasks setup  IN.json OUT.json
    python -m cxhub.management.loadfault.tasks editor IN.json LOG.jsonl
    python -m cxhub.management.loadfault.tasks tally  IN.json OUT.json

The harness itself never connects to the database it tests: these run with that database's
DATABASE_URL, the production settings and the same code as the web workers.
"""

from __future__ import annotations

import json
import signal
import sys
import time
from datetime import timedelta
from pathlib import Path


def setup(params: dict) -> dict:
    """A fresh hub: migrations, demo posts, extra posts so listings have pages, feed sources."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from newsroom.models import FeedSource
    from posts.models import Category, Post

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    now = timezone.now()
    with transaction.atomic():
        wanted = list(Category.objects.filter(slug__in=params["categories"]))
        extra = []
        for n in range(params["extra_posts"]):
            post = Post.objects.create(
                title=f"Load-and-fault post {n}: designing for the patient's day",
                slug=f"load-and-fault-{n}",
                excerpt="A post made for the load-and-fault run.",
                body_source="Customer experience in pharma, one step at a time. " * 30,
                status=Post.Status.PUBLISHED,
                published_at=now - timedelta(hours=n + 1),
                author_name="Load and fault",
            )
            post.categories.set(wanted)
            extra.append(post)
        for name, url in params["feeds"].items():
            FeedSource.objects.create(
                name=f"Load-and-fault {name}",
                feed_url=url,
                interval=timedelta(seconds=params["interval"]),
                publish_directly=True,
            )
    return {
        "post_paths": [post.get_absolute_url() for post in extra[:5]],
        "editor_posts": [post.pk for post in extra[: params["editor_posts"]]],
        "posts": Post.objects.count(),
    }


def editor(params: dict, log: Path) -> None:
    """Save existing posts again and again, as an editor in the admin would, until `until`.

    Each save reads the post and writes it in one transaction (the admin's pattern); after it
    the connection is handled as at the end of a request. One JSON line per attempt.
    """
    from django.db import close_old_connections, transaction

    from posts.models import Post

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    ids = params["posts"]
    with log.open("a") as out:
        for n in range(params["max_saves"]):
            if stop or time.time() >= params["until"]:
                break
            started = time.time()
            line = {"t": started}
            try:
                with transaction.atomic():
                    post = Post.objects.get(pk=ids[n % len(ids)])
                    post.excerpt = f"A post made for the load-and-fault run, edit {n}."
                    post.save()
                    post.categories.set(list(post.categories.all()))
            except Exception as exc:
                line["error"] = f"{type(exc).__name__}: {str(exc).strip()[:300]}"
            finally:
                close_old_connections()
            line["seconds"] = round(time.time() - started, 4)
            out.write(json.dumps(line) + "\n")
            out.flush()
            time.sleep(params["pause"])


def tally(params: dict) -> dict:
    """Served guids against the rows: each must be one feed entry with one story and post."""
    from django.db.models import Count
    from django.utils import timezone

    from newsroom.models import FeedEntry, FeedSource, NewsItem

    served = params["served"]
    links = params["links"]  # guid → link, of every entry published
    entries: dict[str, int] = {}
    with_story: set[str] = set()
    for chunk in chunks(served, 500):  # SQLite before 3.32 takes 999 parameters at most
        rows = FeedEntry.objects.filter(guid__in=chunk)
        entries |= dict(rows.values("guid").annotate(n=Count("pk")).values_list("guid", "n"))
        with_story |= set(
            rows.filter(item__post__isnull=False).values_list("guid", flat=True).distinct()
        )
    stories: dict[str, int] = {}
    served_links = [links[guid] for guid in served]
    for chunk in chunks(served_links, 500):
        stories |= dict(
            NewsItem.objects.filter(original_url__in=chunk)
            .values("original_url")
            .annotate(n=Count("pk"))
            .values_list("original_url", "n")
        )
    missing = [guid for guid in served if guid not in entries]
    duplicated = [
        guid for guid in served if entries.get(guid, 0) > 1 or stories.get(links[guid], 0) > 1
    ]
    without_story = [guid for guid in served if guid in entries and guid not in with_story]
    unserved = FeedEntry.objects.filter(guid__startswith=params["prefix"]).exclude(guid__in=served)
    now = timezone.now()
    sources = [
        {
            "name": source.name,
            "failures": source.consecutive_failures,
            "claimed": bool(source.claimed_until and source.claimed_until > now),
            "last_error": source.last_error[:200],
        }
        for source in FeedSource.objects.order_by("name")
    ]
    return {
        "served": len(served),
        "stored_once": sum(
            1 for guid in served if entries.get(guid) == 1 and stories.get(links[guid]) == 1
        ),
        "missing": missing,
        "duplicated": duplicated,
        "without_story": without_story,
        "stored_not_seen_served": unserved.count(),
        "sources": sources,
    }


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def main(argv: list[str]) -> int:
    import django

    task, source, target = argv
    params = json.loads(Path(source).read_text())
    django.setup()
    if task == "editor":
        editor(params, Path(target))
        return 0
    result = {"setup": setup, "tally": tally}[task](params)
    Path(target).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
