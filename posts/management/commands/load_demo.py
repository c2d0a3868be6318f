from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from posts.demo_content import DEMO_POSTS
from posts.models import Category, Post


class Command(BaseCommand):
    help = (
        "Load the demo posts (our own writing about the hub's themes). Idempotent: posts that "
        "already exist, by slug, are left exactly as they are."
    )

    def handle(self, *args, **options) -> None:
        categories = {c.slug: c for c in Category.objects.all()}
        if not categories:
            raise CommandError("No categories found. Run `manage.py migrate` first.")
        existing = set(
            Post.objects.filter(slug__in=[p["slug"] for p in DEMO_POSTS]).values_list(
                "slug", flat=True
            )
        )
        missing_categories: set[str] = set()
        created = 0
        total = len(DEMO_POSTS)
        with transaction.atomic():
            for number, data in enumerate(DEMO_POSTS, start=1):
                if data["slug"] in existing:
                    continue
                post = Post.objects.create(
                    slug=data["slug"],
                    title=data["title"],
                    excerpt=data.get("excerpt", ""),
                    body=data["body"],
                    link=data.get("link", ""),
                    media_kind=data.get("media_kind", ""),
                    audio_url=data.get("audio_url", ""),
                    author_name=data.get("author", ""),
                    status=data.get("status", Post.Status.PUBLISHED),
                    published_at=timezone.make_aware(datetime.fromisoformat(data["date"])),
                )
                wanted = [categories[s] for s in data["categories"] if s in categories]
                missing_categories.update(s for s in data["categories"] if s not in categories)
                post.categories.set(wanted)
                created += 1
                if created % 20 == 0:
                    self.stdout.write(f"  {number}/{total} posts checked, {created} created …")
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
