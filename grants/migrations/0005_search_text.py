"""The officers' search box (core.search): each file's searchable text, backfilled, and on
PostgreSQL one GIN full-text index per language on it (the expression `core.search` queries)."""

from django.db import migrations, models

SEARCH_FIELDS = (
    "reference",
    "title",
    "description",
    "lead_organisation__name_fr",
    "lead_organisation__name_nl",
    "lead_organisation__enterprise_number",
)
INDEXES = {"french": "grant_search_fr", "dutch": "grant_search_nl"}


def backfill(apps, schema_editor):
    GrantApplication = apps.get_model("grants", "GrantApplication")
    values = GrantApplication.objects.values_list("pk", *SEARCH_FIELDS)
    for pk, *parts in values.iterator(chunk_size=2000):
        text = "\n".join(str(part).strip() for part in parts if part not in (None, "") and str(part).strip())
        GrantApplication.objects.filter(pk=pk).update(search_text=text)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config, name in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON grants_grantapplication "
            f"USING gin (to_tsvector('{config}'::regconfig, COALESCE(search_text, '')))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0004_lock_identities_of_submitting_organisations"),
    ]

    operations = [
        migrations.AddField(
            model_name="grantapplication",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search text"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
