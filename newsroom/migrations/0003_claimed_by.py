"""Who holds a claim on a source, so a crashed worker's sources need not wait for the lease."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0002_credit_posts'),
    ]

    operations = [
        migrations.AddField(
            model_name='feedsource',
            name='claimed_by',
            field=models.CharField(blank=True, help_text='The worker fetching the source (host:process id).', max_length=300),
        ),
    ]
