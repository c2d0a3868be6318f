from argparse import ArgumentTypeError
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from posts.covers import prepare_cover
from posts.demo_data import DEMO_DIR, DemoDataError, DemoPost, read_demo_posts
from posts.models import Category, Post


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a date like 2026-03-31") from None


class Command(BaseCommand):
    help = (
        "Load the demo posts (our own writing about the hub's themes) from posts/demo/, dated "
        "relative to today. Idempotent: posts that already exist, by slug, are left exactly as "
        "they are."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DEMO_DIR,
            help=f"Directory with posts.json and bodies/ (default: {DEMO_DIR}).",
        )
        parser.add_argument(
            "--today",
            type=iso_date,
            default=None,
            help="The day the relative dates count from, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, **options) -> None:
        today = options["today"] or timezone.localdate()
        try:
            demo_posts = read_demo_posts(options["data_dir"], today=today)
        except DemoDataError as error:
            raise CommandError(f"Demo data not loaded. {error}") from None
        categories = {c.slug: c for c in Category.objects.all()}
        if not categories:
            raise CommandError("No categories found. Run `manage.py migrate` first.")
        existing = set(
            Post.objects.filter(slug__in=[p.slug for p in demo_posts]).values_list(
                "slug", flat=True
            )
        )
        new_posts = [p for p in demo_posts if p.slug not in existing]
        covers = {p.slug: self.cover(p) for p in new_posts if p.cover}
        total = len(demo_posts)
        self.stdout.write(
            f"Demo content: {total} post(s) in {options['data_dir']}, dated from {today}."
        )
        missing_categories: set[str] = set()
        created = 0
        with transaction.atomic():
            for data in new_posts:
                post = Post.objects.create(
                    slug=data.slug,
                    title=data.title,
                    excerpt=data.excerpt,
                    body_source=data.body_source,
                    body_format=data.body_format,
                    link=data.link,
                    kind=data.kind,
                    audio_url=data.audio_url,
                    author_name=data.author,
                    status=data.status,
                    published_at=data.published_at,
                    cover=covers.get(data.slug, ""),
                    **data.fields,
                )
                wanted = [categories[s] for s in data.categories if s in categories]
                missing_categories.update(s for s in data.categories if s not in categories)
                post.categories.set(wanted)
                created += 1
                if created % 20 == 0:
                    self.stdout.write(f"  {created}/{len(new_posts)} new posts created …")
        if missing_categories:
            self.stderr.write(
                "These categories no longer exist, so posts were loaded without them: "
                + ", ".join(sorted(missing_categories))
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {created} post(s) created, {total - created} already present."
            )
        )

    def cover(self, post: DemoPost):
        try:
            return prepare_cover(post.cover.read_bytes(), post.cover.name)
        except ValidationError as error:
            raise CommandError(
                f"Demo data not loaded. {post.cover}: cover of {post.slug!r}: "
                + " ".join(error.messages)
            ) from None
