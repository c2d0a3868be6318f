"""Migrate the database of DATABASE_URL and give every kind of table some rows.

Run by tests/test_backup.py in a subprocess with DATABASE_URL and MEDIA_ROOT pointing at a
hub of its own: users, categories with a redirect, posts with categories and a cover in
MEDIA_ROOT, a feed source with its entries, rules and review item, an imported post, a post
deletion, a failed sign-in, a session and an admin log entry.
"""

import io
import os
import sys
from datetime import timedelta

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxhub.settings")

import django

django.setup()

from django.contrib.admin.models import ADDITION, LogEntry  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from cxhub.roles import EDITOR_GROUP  # noqa: E402
from newsroom.models import (  # noqa: E402
    CategoryRule,
    FeedEntry,
    FeedSource,
    FilterRule,
    ImportedPost,
    NewsItem,
)
from posts.models import Category, LoginFailure, Post  # noqa: E402

call_command("migrate", verbosity=0)
now = timezone.now()

admin = User.objects.create_superuser("admin", "admin@example.org", "correct horse battery")
editor = User.objects.create(username="editor", email="editor@example.org", is_staff=True)
editor.groups.add(Group.objects.get(name=EDITOR_GROUP))

design = Category.objects.get(slug="cx-design")
design.slug = "customer-experience-design"
design.save()  # leaves a CategoryRedirect from cx-design
strategy = Category.objects.get(slug="cx-strategy")

png = io.BytesIO()
Image.new("RGB", (64, 48), (200, 40, 90)).save(png, format="PNG")
for n in range(1, 6):
    post = Post.objects.create(
        title=f"Seeded post {n}",
        body_source=f"Body of **seeded** post {n}, with “quotes” and ümlauts.",
        status=Post.Status.PUBLISHED,
        published_at=now - timedelta(days=n),
    )
    post.categories.set([design, strategy] if n % 2 else [strategy])
post.cover.save("cover.png", ContentFile(png.getvalue()))

source = FeedSource.objects.create(
    name="Trade press", feed_url="https://press.example/feed", interval=timedelta(hours=2)
)
source.default_categories.set([design])
draft = Post.objects.create(title="A story from the trade press", status=Post.Status.DRAFT)
item = NewsItem.objects.create(
    post=draft,
    source=source,
    title=draft.title,
    canonical_url="https://press.example/story",
    original_date=now,
)
FeedEntry.objects.create(
    source=source,
    item=item,
    key="k1",
    title=draft.title,
    categories=["CX", "Pharma"],
    content_hash="h1",
    last_seen_at=now,
)
CategoryRule.objects.create(phrase="journey", category=design, source=source)
FilterRule.objects.create(pattern="webinar", action=FilterRule.Action.BLOCK)
imported = Post.objects.create(title="From the old hub", status=Post.Status.PUBLISHED)
ImportedPost.objects.create(key="old-1", post=imported, written_hash="w1")

Post.objects.create(title="Deleted soon").delete()  # moves the content version
LoginFailure.objects.create(username="admin", ip_address="192.0.2.7")
session = SessionStore()
session["note"] = "kept"
session.create()
LogEntry.objects.create(
    user=admin,
    content_type=ContentType.objects.get_for_model(FeedSource),
    object_id=str(source.pk),
    object_repr=str(source),
    action_flag=ADDITION,
)
print("cover", post.cover.name)
