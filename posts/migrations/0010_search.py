"""Full-text search: the index each database keeps of a post's title, excerpt and body.

What is created and why is described in `posts.search` (`install`): on PostgreSQL a stored
generated tsvector column with a GIN index, on SQLite an FTS5 table kept by triggers. Neither
is part of Django's model state: the database maintains it on every write by itself.
"""

from django.db import migrations

from posts import search


def forwards(apps, schema_editor) -> None:
    search.install(schema_editor.connection)


def backwards(apps, schema_editor) -> None:
    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0009_credit_date_found"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
