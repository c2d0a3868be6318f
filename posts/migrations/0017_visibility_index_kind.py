"""The kind joins the post_visibility index: an archive period's kind counts and the kinds of
the posts scheduled for later come from the index alone."""

from django.db import migrations, models


def statistics_again(apps, schema_editor) -> None:
    # A SQLite database that had planner statistics (someone ran ANALYZE) gets them for the
    # new index too: with them for every index but this one, the planner would weigh it blind.
    # One without any keeps having none, as the hub runs by default.
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return  # PostgreSQL plans from the table's column statistics, kept by autovacuum
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("ANALYZE posts_post")


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0016_category_masks"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="post",
            name="post_visibility",
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["status", "published_at", "id", "kind"], name="post_visibility"
            ),
        ),
        migrations.RunPython(statistics_again, migrations.RunPython.noop, elidable=True),
    ]
