"""The "Editor" group: exactly what an editor needs, kept in step with the code.

Editors add, change and delete posts, their old addresses (redirects to them), categories, feed
sources and the rules that map or filter ingested entries; they review the queue of ingested
news items (change and view: items are created by fetching, never by hand) and may look at the
raw entries behind them. Nothing else: no users, groups, sign-in log, old category addresses
(kept by renames and merges, shown on the category) or import bookkeeping records, so the admin
shows an editor only what they can change.

A migration creates the group; `sync_editor_group` also runs after every `migrate`, so the
group follows this table without anyone editing it by hand.
"""

from __future__ import annotations

from django.apps import apps as global_apps

EDITOR_GROUP = "Editor"
ACTIONS = ("add", "change", "delete", "view")
REVIEW = ("change", "view")
# app label → model name → the actions an editor may take on it.
EDITOR_MODELS: dict[str, dict[str, tuple[str, ...]]] = {
    "posts": {"post": ACTIONS, "oldaddress": ACTIONS, "category": ACTIONS},
    "newsroom": {
        "feedsource": ACTIONS,
        "categoryrule": ACTIONS,
        "filterrule": ACTIONS,
        "newsitem": REVIEW,
        "feedentry": ("view",),
    },
}


def editor_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.none()
    for app_label, models in EDITOR_MODELS.items():
        for model, actions in models.items():
            permissions |= Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
    return permissions


def sync_editor_group(apps) -> None:
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    group.permissions.set(list(editor_permissions(apps)))


def sync_after_migrate(sender, apps=None, **kwargs) -> None:
    # post_migrate runs once per app, after that app's permissions exist; cxhub comes last in
    # INSTALLED_APPS, so its run sees every model. `flush` sends it too (without
    # `apps`): a flushed database gets its group back, as if migrated from scratch.
    if sender.label in EDITOR_MODELS or sender.label == "cxhub":
        sync_editor_group(apps or global_apps)
