"""Covers keep their pixel size in the row (for <img width height> on cards); existing covers
are measured once here."""

import posts.models
from django.core.files.images import get_image_dimensions
from django.core.files.storage import default_storage
from django.db import migrations, models


def measure_covers(apps, schema_editor) -> None:
    Post = apps.get_model("posts", "Post")
    stored = Post.objects.exclude(cover="").filter(cover_width=None).values_list("pk", "cover")
    for pk, name in stored.iterator(chunk_size=500):
        try:
            with default_storage.open(name) as image:
                width, height = get_image_dimensions(image)
        except (OSError, ValueError):
            continue  # a missing or unreadable file: the card shows no image
        if width and height:
            Post.objects.filter(pk=pk).update(cover_width=width, cover_height=height)


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0010_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="cover_height",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="post",
            name="cover_width",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="post",
            name="cover",
            field=posts.models.CoverField(
                blank=True,
                height_field="cover_height",
                upload_to="covers/%Y/%m/",
                width_field="cover_width",
            ),
        ),
        migrations.RunPython(measure_covers, migrations.RunPython.noop),
    ]
