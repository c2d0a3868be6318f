"""Posts get a kind: the media kind becomes the post's kind, and every post has one.

A post with a media kind keeps it as its kind. A post without one is a quote when it is in the
"being an inspirational quote" category (the only category that says for certain what a post
is) and an article otherwise.
"""

from django.db import migrations

QUOTE_CATEGORY = "inspirational-quote"


def give_kinds(apps, schema_editor):
    Post = apps.get_model("posts", "Post")
    TaggedPost = apps.get_model("posts", "TaggedPost")
    quotes = TaggedPost.objects.filter(tag__slug=QUOTE_CATEGORY).values("content_object_id")
    Post.objects.filter(kind="", pk__in=quotes).update(kind="quote")
    Post.objects.filter(kind="").update(kind="article")


def take_kinds_back(apps, schema_editor):
    pass  # every kind was a media kind already; "article" stays what it was given


class Migration(migrations.Migration):
    dependencies = [("posts", "0006_old_addresses")]

    operations = [
        migrations.RenameField("post", "media_kind", "kind"),
        migrations.RunPython(give_kinds, take_kinds_back),
    ]
