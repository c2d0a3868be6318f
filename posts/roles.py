"""The "Editor" group: exactly what an editor needs, kept in step with the code.

Editors add, change and delete posts and categories, and everything of the feeds app (feed
sources and the review queue of ingested items). Nothing else: no users, groups, sign-in log or
old-address records, so the admin shows an editor only what they can change.

A migration creates the group; `sync_editor_group` also runs after every `migrate` so that
models added later (the feeds app's) join the group without anyone editing it by hand.
"""

from __future__ import annotations

from django.apps import apps as global_apps

EDITOR_GROUP = "Editor"
ACTIONS = ("add", "change", "delete", "view")
# app label → model names, or "*" for every model of the app.
EDITOR_MODELS: dict[str, tuple[str, ...] | str] = {
    "posts": ("post", "category"),
    "feeds": "*",
}


def editor_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    permissions = Permission.objects.none()
    for app_label, models in EDITOR_MODELS.items():
        types = ContentType.objects.filter(app_label=app_label)
        if models != "*":
            types = types.filter(model__in=models)
        for content_type in types:
            permissions |= Permission.objects.filter(
                content_type=content_type,
                codename__in=[f"{action}_{content_type.model}" for action in ACTIONS],
            )
    return permissions


def sync_editor_group(apps) -> None:
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    group.permissions.set(list(editor_permissions(apps)))


def sync_after_migrate(sender, apps=None, **kwargs) -> None:
    # post_migrate runs once per app, after that app's permissions exist; feeds comes after
    # posts in INSTALLED_APPS, so the last run sees every model. `flush` sends it too (without
    # `apps`): a flushed database gets its group back, as if migrated from scratch.
    if sender.label in EDITOR_MODELS:
        sync_editor_group(apps or global_apps)
