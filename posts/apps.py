from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class PostsConfig(AppConfig):
    name = "posts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .signals import connect

        connect()
        post_migrate.connect(restore_search_index, sender=self)
        pre_migrate.connect(lift_combinations, sender=self)
        post_migrate.connect(restore_combinations, sender=self)


def restore_search_index(sender, using: str, plan=None, **kwargs) -> None:
    """After every migrate: put back search triggers a table rebuild dropped (posts.search)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return  # PostgreSQL's generated column survives table changes; no lock for nothing
    recorder = MigrationRecorder(connection)
    if ("posts", "0010_search") not in recorder.applied_migrations():
        return  # migrated back to before search, or not yet so far
    from .search import install

    install(connection)


def lift_combinations(sender, using: str, plan=None, **kwargs) -> None:
    """Before a migrate that applies anything, on SQLite: drop the combination triggers, which
    name other tables than their own (posts_post, posts_category, ...). Django rebuilds a table
    it alters by copy, drop and rename, and SQLite refuses the rename while a trigger names the
    dropped table. `restore_combinations` puts them back and counts afresh."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite" or not plan:
        return
    from .combinations import uninstall, uninstall_masks

    uninstall_masks(connection)
    uninstall(connection)


def restore_combinations(sender, using: str, plan=None, **kwargs) -> None:
    """After every migrate: put back combination triggers a table rebuild dropped, and count
    afresh (posts.combinations). After a flush, count afresh on every database."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("posts", "0014_combinations") not in applied:
        return
    from .combinations import install, install_masks, recount, recount_masks

    masks = ("posts", "0016_category_masks") in applied
    if plan is None:
        # A flush (`migrate` always sends its plan): SQLite's flush empties the tables one
        # DELETE at a time, in no fixed order, and a post deleted after the counts' tables
        # runs their triggers again: posts_maskcount kept -25 posts of no category, and the
        # next posts counted 0. Every table is empty now: counting afresh reads nothing.
        recount(connection)
        if masks:
            recount_masks(connection)
        return
    if connection.vendor != "sqlite":
        return  # PostgreSQL's triggers survive table changes
    install(connection)
    if masks:
        install_masks(connection)
