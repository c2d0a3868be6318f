from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CxhubConfig(AppConfig):
    """Site-wide wiring: the admin site, the Editor group and commands that span the apps.

    Listed last in INSTALLED_APPS: it sees every app, and no app of ours imports its wiring
    (only its infrastructure modules, such as cxhub.safehttp).
    """

    name = "cxhub"
    verbose_name = "CX Inspiration Hub"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the checks)
        from .roles import sync_after_migrate

        post_migrate.connect(sync_after_migrate, dispatch_uid="cxhub.sync_editor_group")
        connect_newsroom()


def connect_newsroom() -> None:
    # A source renamed or a story's credit rewritten changes posts through update(), which
    # sends no signal of the posts app: the content version moves here (cache invalidation).
    from django.db.models.signals import post_delete, post_save

    from newsroom.models import FeedSource, NewsItem

    for model in (FeedSource, NewsItem):
        for signal in (post_save, post_delete):
            uid = f"cxhub.version.{model.__name__}"
            signal.connect(newsroom_changed, sender=model, dispatch_uid=uid)


def newsroom_changed(sender, **kwargs) -> None:
    from .content_version import bump

    bump()
