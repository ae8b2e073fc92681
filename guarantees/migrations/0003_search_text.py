"""The officers' search box (core.search): each guarantee's searchable text, backfilled, and on
PostgreSQL one GIN full-text index per language on it (the expression `core.search` queries)."""

from django.db import migrations, models

SEARCH_FIELDS = (
    "reference",
    "purpose",
    "borrower__name_fr",
    "borrower__name_nl",
    "borrower__enterprise_number",
    "lender__name_fr",
    "lender__name_nl",
)
INDEXES = {"french": "guarantee_search_fr", "dutch": "guarantee_search_nl"}


def backfill(apps, schema_editor):
    GuaranteeRequest = apps.get_model("guarantees", "GuaranteeRequest")
    for pk, *parts in GuaranteeRequest.objects.values_list("pk", *SEARCH_FIELDS).iterator(chunk_size=2000):
        text = "\n".join(str(part).strip() for part in parts if part not in (None, "") and str(part).strip())
        GuaranteeRequest.objects.filter(pk=pk).update(search_text=text)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config, name in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON guarantees_guaranteerequest "
            f"USING gin (to_tsvector('{config}'::regconfig, COALESCE(search_text, '')))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("guarantees", "0002_default_parameters"),
    ]

    operations = [
        migrations.AddField(
            model_name="guaranteerequest",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search text"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
