"""Posts now carry their source's credit themselves (posts 0005); fill it for existing stories."""

from django.db import migrations


def credit_posts(apps, schema_editor):
    NewsItem = apps.get_model("newsroom", "NewsItem")
    Post = apps.get_model("posts", "Post")
    items = NewsItem.objects.filter(post__isnull=False).select_related("source").order_by("pk")
    batch = []
    for item in items.iterator(chunk_size=1000):
        batch.append(
            Post(
                pk=item.post_id,
                credit_name=item.source.name,
                credit_url=item.source.site_url or item.source.feed_url,
                credit_original_url=item.original_url,
                credit_date=item.original_date,
            )
        )
        if len(batch) == 1000:
            Post.objects.bulk_update(batch, CREDIT_FIELDS)
            batch = []
    Post.objects.bulk_update(batch, CREDIT_FIELDS)


CREDIT_FIELDS = ["credit_name", "credit_url", "credit_original_url", "credit_date"]


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("posts", "0005_post_credit"),
    ]
    operations = [migrations.RunPython(credit_posts, migrations.RunPython.noop)]
