"""Category combinations: published posts counted by (set of categories, kind), kept by
database triggers (see `posts.combinations`), filled here from the posts already stored."""

from django.db import migrations, models

from posts import combinations


def forwards(apps, schema_editor) -> None:
    combinations.install(schema_editor.connection)


def backwards(apps, schema_editor) -> None:
    combinations.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0013_kind_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="CategorySet",
            fields=[
                ("post_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("key", models.TextField()),
            ],
            options={
                "verbose_name": "category set of a post",
            },
        ),
        migrations.CreateModel(
            name="Combination",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.TextField()),
                ("kind", models.CharField(max_length=20)),
                ("n", models.IntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("key", "kind"), name="unique_combination")
                ],
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
