"""Seeds the reference data (see accounts/reference_data.py)."""

from django.db import migrations

from accounts.reference_data import load_reference_data


def load(apps, schema_editor):
    load_reference_data(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
