"""The ingestion models move here from the feeds app, keeping their tables and rows.

Only Django's idea of which app owns them changes (SeparateDatabaseAndState); the tables keep
their feeds_* names (Meta.db_table). Their content types are relabelled rather than recreated,
so permissions (the Editor group's) and admin history stay attached.
"""

import datetime
import django.db.models.deletion
from django.db import migrations, models


MOVED = ["feedsource", "categoryrule", "filterrule", "importedpost", "newsitem", "feedentry"]


def relabel(apps, from_label, to_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label=to_label, model__in=MOVED).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label=from_label, model__in=set(MOVED) - taken).update(
        app_label=to_label
    )


def forwards(apps, schema_editor):
    relabel(apps, "feeds", "newsroom")


def backwards(apps, schema_editor):
    relabel(apps, "newsroom", "feeds")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('posts', '0004_editor_group'),
        ('feeds', '0002_post_deletion'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FeedSource',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True)),
                        ('feed_url', models.URLField(max_length=1000, unique=True, verbose_name='feed URL')),
                        ('site_url', models.URLField(blank=True, max_length=1000, verbose_name='site URL')),
                        ('active', models.BooleanField(default=True, help_text='Inactive sources are never fetched.')),
                        ('interval', models.DurationField(default=datetime.timedelta(seconds=3600), help_text='For example 01:00:00 for hourly.', verbose_name='polling interval')),
                        ('publish_directly', models.BooleanField(default=False, help_text="Publish entries at once (with a teaser of the source's summary) instead of waiting in the review queue.")),
                        ('last_checked_at', models.DateTimeField(blank=True, null=True)),
                        ('last_success_at', models.DateTimeField(blank=True, null=True)),
                        ('last_status', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='last HTTP status')),
                        ('etag', models.CharField(blank=True, max_length=500)),
                        ('last_modified', models.CharField(blank=True, max_length=100)),
                        ('consecutive_failures', models.PositiveIntegerField(default=0)),
                        ('next_check_at', models.DateTimeField(blank=True, db_index=True, null=True)),
                        ('last_error', models.TextField(blank=True)),
                        ('last_note', models.TextField(blank=True, help_text='Something worth knowing about the last successful fetch.')),
                        ('claimed_until', models.DateTimeField(blank=True, null=True)),
                        ('default_categories', models.ManyToManyField(blank=True, help_text='Given to every entry of this source.', related_name='+', to='posts.category')),
                    ],
                    options={
                        'db_table': 'feeds_feedsource',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='CategoryRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('phrase', models.CharField(max_length=200)),
                        ('active', models.BooleanField(default=True)),
                        ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='posts.category')),
                        ('source', models.ForeignKey(blank=True, help_text='Leave empty for a rule that applies to every source.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='category_rules', to='newsroom.feedsource')),
                    ],
                    options={
                        'verbose_name': 'keyword rule',
                        'db_table': 'feeds_categoryrule',
                        'ordering': ['phrase'],
                    },
                ),
                migrations.CreateModel(
                    name='FilterRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('block', 'Block entries that match'), ('keep', 'Keep only entries that match')], default='block', max_length=10)),
                        ('field', models.CharField(choices=[('any', 'Title, link, author or categories'), ('title', 'Title'), ('link', 'Link'), ('author', 'Author'), ('categories', 'Categories')], default='any', max_length=20)),
                        ('pattern', models.CharField(help_text='A word or phrase, matched case-insensitively; for links, any part of the address.', max_length=200)),
                        ('active', models.BooleanField(default=True)),
                        ('source', models.ForeignKey(blank=True, help_text='Leave empty for a rule that applies to every source.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='filter_rules', to='newsroom.feedsource')),
                    ],
                    options={
                        'verbose_name': 'block or keep rule',
                        'db_table': 'feeds_filterrule',
                        'ordering': ['action', 'pattern'],
                    },
                ),
                migrations.CreateModel(
                    name='ImportedPost',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=64, unique=True)),
                        ('original_url', models.URLField(blank=True, max_length=1000)),
                        ('written_hash', models.CharField(max_length=64)),
                        ('imported_at', models.DateTimeField(auto_now=True)),
                        ('post', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='posts.post')),
                    ],
                    options={
                        'db_table': 'feeds_importedpost',
                    },
                ),
                migrations.CreateModel(
                    name='NewsItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=300)),
                        ('original_url', models.URLField(blank=True, max_length=1000)),
                        ('canonical_url', models.CharField(blank=True, max_length=1000)),
                        ('title_key', models.CharField(blank=True, db_index=True, max_length=300)),
                        ('original_date', models.DateTimeField()),
                        ('written_hash', models.CharField(blank=True, max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('rejected_at', models.DateTimeField(blank=True, null=True)),
                        ('reject_reason', models.CharField(blank=True, max_length=500)),
                        ('post', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='news_item', to='posts.post')),
                        ('source', models.ForeignKey(help_text='Credited on the post.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='newsroom.feedsource')),
                    ],
                    options={
                        'verbose_name': 'news item',
                        'db_table': 'feeds_newsitem',
                        'ordering': ['-original_date', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='FeedEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(help_text='Hash of the guid, else link, else title+date.', max_length=64)),
                        ('guid', models.CharField(blank=True, max_length=1000)),
                        ('link', models.URLField(blank=True, max_length=1000)),
                        ('title', models.CharField(max_length=300)),
                        ('author', models.CharField(blank=True, max_length=200)),
                        ('summary', models.TextField(blank=True, help_text='Sanitised summary, for review only.')),
                        ('categories', models.JSONField(blank=True, default=list)),
                        ('published_at', models.DateTimeField(blank=True, null=True)),
                        ('content_hash', models.CharField(max_length=64)),
                        ('blocked_by', models.CharField(blank=True, max_length=300)),
                        ('first_seen_at', models.DateTimeField(auto_now_add=True)),
                        ('last_seen_at', models.DateTimeField()),
                        ('source', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='newsroom.feedsource')),
                        ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='entries', to='newsroom.newsitem')),
                    ],
                    options={
                        'verbose_name_plural': 'feed entries',
                        'db_table': 'feeds_feedentry',
                        'ordering': ['-last_seen_at', '-pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='newsitem',
                    constraint=models.UniqueConstraint(condition=models.Q(('canonical_url', ''), _negated=True), fields=('canonical_url',), name='unique_news_item_canonical_url'),
                ),
                migrations.AddConstraint(
                    model_name='feedentry',
                    constraint=models.UniqueConstraint(fields=('source', 'key'), name='unique_entry_per_source'),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
