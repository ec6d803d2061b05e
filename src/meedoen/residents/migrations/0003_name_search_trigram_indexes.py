"""Name search in the caseload uses icontains (UPPER(…) LIKE '%…%'). On PostgreSQL, trigram GIN indexes make
that fast at region size; SQLite (the embedded demo) has no such index type and does not need one."""

from django.db import migrations

INDEXES = [
    ("resident_family_name_trgm", "family_name"),
    ("resident_given_names_trgm", "given_names"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON residents_resident USING gin (UPPER({column}) gin_trgm_ops)",
            params=None,
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [("residents", "0002_file_sections")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
