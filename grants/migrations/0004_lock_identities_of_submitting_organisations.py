"""Organisations that already lead a submitted grant application get their identity locked (SPEC
§9 "Stable identity"), at the date of their first submission."""

from django.db import migrations
from django.db.models import Min


def lock_identities(apps, schema_editor):
    GrantApplication = apps.get_model("grants", "GrantApplication")
    Organisation = apps.get_model("accounts", "Organisation")
    first_submissions = (
        GrantApplication.objects.filter(submitted_at__isnull=False)
        .values("lead_organisation_id")
        .annotate(first=Min("submitted_at"))
    )
    for row in first_submissions:
        Organisation.objects.filter(pk=row["lead_organisation_id"], identity_locked_at__isnull=True).update(
            identity_locked_at=row["first"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organisation_identity_locked_at"),
        ("grants", "0003_seed_and_backfill_deadlines"),
    ]

    operations = [migrations.RunPython(lock_identities, migrations.RunPython.noop)]
