"""The officers' search box (core.search): agreements' and declarations' searchable text,
backfilled, and on PostgreSQL one GIN full-text index per language and table."""

from django.db import migrations, models

FIELDS = {
    "agreement": (
        "reference",
        "project",
        "objectives",
        "mentor__name_fr",
        "mentor__name_nl",
        "mentor__enterprise_number",
        "mentee__name_fr",
        "mentee__name_nl",
        "mentee__enterprise_number",
    ),
    "hoursdeclaration": (
        "reference",
        "agreement__reference",
        "agreement__project",
        "agreement__mentor__name_fr",
        "agreement__mentor__name_nl",
        "agreement__mentee__name_fr",
        "agreement__mentee__name_nl",
    ),
}
INDEXES = {
    ("peer_mentoring_agreement", "french"): "agreement_search_fr",
    ("peer_mentoring_agreement", "dutch"): "agreement_search_nl",
    ("peer_mentoring_hoursdeclaration", "french"): "hours_search_fr",
    ("peer_mentoring_hoursdeclaration", "dutch"): "hours_search_nl",
}
MODELS = {"agreement": "Agreement", "hoursdeclaration": "HoursDeclaration"}


def backfill(apps, schema_editor):
    for key, fields in FIELDS.items():
        model = apps.get_model("peer_mentoring", MODELS[key])
        for pk, *parts in model.objects.values_list("pk", *fields).iterator(chunk_size=2000):
            text = "\n".join(str(part).strip() for part in parts if part not in (None, "") and str(part).strip())
            model.objects.filter(pk=pk).update(search_text=text)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for (table, config), name in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (to_tsvector('{config}'::regconfig, COALESCE(search_text, '')))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("peer_mentoring", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="agreement",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search text"),
        ),
        migrations.AddField(
            model_name="hoursdeclaration",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search text"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
