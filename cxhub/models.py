"""Infrastructure state shared by every worker process; imports no app of ours."""

from __future__ import annotations

from django.db import models


class ContentVersion(models.Model):
    """One row whose counter moves on every change a reader could see (cxhub.content_version).

    In the database rather than in the cache: with the local-memory cache each worker process
    has its own cache, and all of them must see a bump at once.
    """

    counter = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)
    # When something readers could see last left their view (unpublished, deleted): feeds'
    # Last-Modified must move then too, although no row of theirs is newer.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "content version"

    def __str__(self) -> str:
        return f"content version {self.counter}"
