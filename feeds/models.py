"""Publishing state that posts do not carry themselves."""

from __future__ import annotations

from django.db import models


class PostDeletion(models.Model):
    """When a post was deleted, for the Last-Modified of published feeds.

    A deleted post leaves no row behind, yet every feed that held it changed; readers that
    revalidate with If-Modified-Since alone must not be told "not modified". Written by a
    post_delete receiver (feeds.apps), read by feeds.conditional.
    """

    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"post deleted at {self.at:%Y-%m-%d %H:%M:%S}"
