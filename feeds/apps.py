from django.apps import AppConfig
from django.db.models.signals import post_delete


class FeedsConfig(AppConfig):
    name = "feeds"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from posts.models import Post

        post_delete.connect(note_post_deletion, sender=Post, dispatch_uid="feeds.post_deletion")


def note_post_deletion(sender, instance, **kwargs) -> None:
    # Cache invalidation for the feeds' validators (feeds.conditional), not a domain step.
    from django.utils import timezone

    from .models import PostDeletion

    PostDeletion.objects.create(at=timezone.now())
