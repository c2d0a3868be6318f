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
