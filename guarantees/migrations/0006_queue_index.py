"""The work queue's guarantees of an administration, and their count, read from an index alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("guarantees", "0005_search_vector")]

    operations = [
        migrations.AddIndex(
            model_name="guaranteerequest",
            index=models.Index(fields=["administration", "state", "monitoring_flag"], name="guarantee_queue"),
        ),
    ]
