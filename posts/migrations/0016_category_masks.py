"""Category bits and the combination rows added up by mask, kept by database triggers (see
`posts.combinations`), filled here from the combination rows already stored."""

from django.db import migrations, models

from posts import combinations


def forwards(apps, schema_editor) -> None:
    combinations.install_masks(schema_editor.connection)


def backwards(apps, schema_editor) -> None:
    combinations.uninstall_masks(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0015_visibility_index_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="MaskCount",
            fields=[
                ("mask", models.BigIntegerField(primary_key=True, serialize=False)),
                ("n", models.IntegerField()),
                ("k_article", models.IntegerField()),
                ("k_podcast", models.IntegerField()),
                ("k_webinar", models.IntegerField()),
                ("k_video", models.IntegerField()),
                ("k_event", models.IntegerField()),
                ("k_quote", models.IntegerField()),
                ("k_case_study", models.IntegerField()),
                ("k_report", models.IntegerField()),
            ],
            options={
                "verbose_name": "count by category mask",
            },
        ),
        migrations.AddField(
            model_name="category",
            name="bit",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True, unique=True
            ),
        ),
        # A plain ADD COLUMN: on SQLite, Django would rebuild the table, which the triggers of
        # 0014_combinations that name it refuse.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE posts_categoryset ADD COLUMN mask bigint NOT NULL DEFAULT 0",
                    "ALTER TABLE posts_categoryset DROP COLUMN mask",
                ),
            ],
            state_operations=[
                migrations.AddField(
                    model_name="categoryset",
                    name="mask",
                    field=models.BigIntegerField(db_default=0, default=0),
                ),
            ],
        ),
        # Backwards, the triggers go before the column and the table they use.
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
