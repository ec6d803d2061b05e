from django.db import migrations

# The budget page sums the year's entries grouped by source, project and kind. On PostgreSQL a covering index
# lets that be an index-only scan (the amounts are in the index), instead of reading every row of the year.
CREATE = """
CREATE INDEX IF NOT EXISTS ledger_year_sums
    ON budgets_ledgerentry (budget_year_id, source_id, project_id, kind) INCLUDE (amount);
"""
DROP = "DROP INDEX IF EXISTS ledger_year_sums;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("budgets", "0002_ledger_append_only")]

    operations = [migrations.RunPython(create, drop)]
