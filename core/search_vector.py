"""The stored full-text vector of a searchable file type, on PostgreSQL (core.search).

`search_text` (kept by `WorkflowFile.save`) is turned into one `tsvector` column, French and Dutch
together, by a trigger — so `save()`, `bulk_create` and `queryset.update(search_text=...)` all keep
it — and indexed with GIN. A search then matches the stored vector: no `to_tsvector` per row, even
when a common word matches thousands of files (the expression indexes it replaces had to recompute
the vector of every match to recheck it). Elsewhere (SQLite) nothing is created and search matches
the text itself. The column lives outside Django's models on purpose: it exists only on PostgreSQL
and only the database writes it.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION core_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := to_tsvector('french', COALESCE(NEW.search_text, ''))
        || to_tsvector('dutch', COALESCE(NEW.search_text, ''));
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""


def stored_vector(table: str, index: str, replaces: tuple[str, ...] = ()) -> migrations.RunPython:
    """The migration operation that adds `table.search_vector`, its trigger and its GIN index
    (dropping the expression indexes it `replaces`)."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(FUNCTION)
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF search_text ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION core_search_vector()"
        )
        schema_editor.execute(
            f"UPDATE {table} SET search_vector = to_tsvector('french', COALESCE(search_text, '')) "
            "|| to_tsvector('dutch', COALESCE(search_text, ''))"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (search_vector)")
        for name in replaces:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        for name in replaces:
            config = "french" if name.endswith("_fr") else "dutch"
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin (to_tsvector('{config}'::regconfig, COALESCE(search_text, '')))"
            )

    return migrations.RunPython(forwards, backwards)
