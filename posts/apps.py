from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PostsConfig(AppConfig):
    name = "posts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .roles import sync_after_migrate

        post_migrate.connect(sync_after_migrate, dispatch_uid="posts.sync_editor_group")
