"""Cache invalidation: every change readers could see bumps the content version.

Signals, not calls in the models, because this is loose coupling (STYLE.md): the posts app does
not need to know what is cached. Writes that send no signals (queryset `update()`, bulk tag
changes) bump in the code that makes them (`posts.models._touch`).
"""

from __future__ import annotations

from django.db.models import Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save

from cxhub import content_version

from .models import Category, CategoryRedirect, Post, TaggedPost, number_series_parts


def schedule(now):
    # The first two read the (status, published_at) index, the others (kind, event_until): one
    # step each, whatever the archive's size. An event ending is the moment it stops being
    # upcoming on the events pages, the home page and the calendars.
    events = Post.objects.published(at=now).events()
    return {
        "next_due": Subquery(
            Post.objects.scheduled(at=now).order_by("published_at").values("published_at")[:1]
        ),
        "last_published": Subquery(
            Post.objects.published(at=now).order_by("-published_at").values("published_at")[:1]
        ),
        "next_expiry": Subquery(
            events.filter(event_until__gt=now).order_by("event_until").values("event_until")[:1]
        ),
        "last_expired": Subquery(
            events.filter(event_until__lte=now).order_by("-event_until").values("event_until")[:1]
        ),
    }


def post_saved(sender, instance: Post, **kwargs) -> None:
    # A draft written or a post scheduled for later shows nowhere yet; when a scheduled post's
    # time comes the schedule moves the version (cxhub.content_version).
    was_visible = getattr(instance, "_was_visible", False)
    if instance.is_visible or was_visible:
        content_version.bump(removed=was_visible and not instance.is_visible)
    instance._was_visible = instance.is_visible


def post_deleted(sender, instance: Post, **kwargs) -> None:
    content_version.bump(removed=True)


def categories_changed(sender, instance, action: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        content_version.bump(removed=action != "post_add")


def series_joined(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    # Every way of tagging a post (admin form, taggit's add/set in imports, demo and tests)
    # passes here; a post that joins a series without a part gets the next one. The bulk
    # action writes TaggedPost rows itself and numbers them there (PostQuerySet.add_category).
    if action == "post_add" and not reverse and isinstance(instance, Post):
        number_series_parts([instance])


def taxonomy_changed(sender, **kwargs) -> None:
    # Renamed, merged, added or deleted categories change navigation and page titles.
    content_version.bump()


def connect() -> None:
    content_version.watch_schedule(schedule)
    uid = "posts.content_version."
    post_save.connect(post_saved, sender=Post, dispatch_uid=uid + "post_saved")
    post_delete.connect(post_deleted, sender=Post, dispatch_uid=uid + "post_deleted")
    m2m_changed.connect(categories_changed, sender=TaggedPost, dispatch_uid=uid + "m2m")
    m2m_changed.connect(series_joined, sender=TaggedPost, dispatch_uid="posts.series_joined")
    for model in (Category, CategoryRedirect):
        for signal in (post_save, post_delete):
            signal.connect(taxonomy_changed, sender=model, dispatch_uid=uid + model.__name__)
