"""The "Editor" group with the permissions listed in posts/roles.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from cxhub.roles import EDITOR_GROUP, sync_editor_group


def create_editor_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now so that the
    # group can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_editor_group(apps)


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0003_editor_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
