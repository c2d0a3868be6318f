"""Publishing state that posts do not carry themselves."""

from __future__ import annotations

from django.db import models


class PostDeletion(models.Model):
    """When a post was deleted, for the Last-Modified of published feeds.

    No longer written or read: the content version's `removed_at` (cxhub.content_version)
    took its place. Kept until a migration drops the table.
    """

    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"post deleted at {self.at:%Y-%m-%d %H:%M:%S}"
