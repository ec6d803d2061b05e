from django.db import migrations

# On PostgreSQL the database itself refuses to change or remove a ledger entry, whatever code runs (the
# model and queryset refuse it in Python on every database). A wrong entry is corrected by a new entry.
CREATE = """
CREATE OR REPLACE FUNCTION budgets_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'budgets_ledgerentry is append-only: book a correcting entry';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER budgets_ledger_append_only
    BEFORE UPDATE OR DELETE ON budgets_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION budgets_ledger_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS budgets_ledger_append_only ON budgets_ledgerentry;
DROP FUNCTION IF EXISTS budgets_ledger_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("budgets", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
