"""Fetch now through the worker: who asked for a fetch and when, and the workers' heartbeats."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0003_claimed_by'),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkerHeartbeat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('worker', models.CharField(help_text='host:process id', max_length=300, unique=True)),
                ('started_at', models.DateTimeField()),
                ('seen_at', models.DateTimeField()),
                ('expected_by', models.DateTimeField(help_text='It reports again by then while it runs.')),
                ('interval', models.DurationField(help_text='Its longest pause between rounds (--interval).')),
            ],
        ),
        migrations.AddField(
            model_name='feedsource',
            name='fetch_requested_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='feedsource',
            name='fetch_requested_by',
            field=models.CharField(blank=True, max_length=150),
        ),
    ]
