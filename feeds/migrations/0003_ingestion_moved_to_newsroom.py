"""The ingestion models now belong to the newsroom app; their tables stay (state only)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('feeds', '0002_post_deletion'),
        ('newsroom', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='feedentry',
                name='item',
            ),
            migrations.RemoveField(
                model_name='feedentry',
                name='source',
            ),
            migrations.RemoveField(
                model_name='feedsource',
                name='default_categories',
            ),
            migrations.RemoveField(
                model_name='filterrule',
                name='source',
            ),
            migrations.RemoveField(
                model_name='newsitem',
                name='source',
            ),
            migrations.RemoveField(
                model_name='importedpost',
                name='post',
            ),
            migrations.RemoveField(
                model_name='newsitem',
                name='post',
            ),
            migrations.DeleteModel(
                name='CategoryRule',
            ),
            migrations.DeleteModel(
                name='FeedEntry',
            ),
            migrations.DeleteModel(
                name='FilterRule',
            ),
            migrations.DeleteModel(
                name='FeedSource',
            ),
            migrations.DeleteModel(
                name='ImportedPost',
            ),
            migrations.DeleteModel(
                name='NewsItem',
            ),
            ],
        ),
    ]
