"""A participant's arm, once set, is never changed or removed: a trigger refuses it on both databases."""

from django.db import migrations

POSTGRES = """
CREATE OR REPLACE FUNCTION experiments_arm_never_changes() RETURNS trigger AS $$
BEGIN
    IF OLD.arm <> '' AND (NEW.arm IS DISTINCT FROM OLD.arm OR NEW.position IS DISTINCT FROM OLD.position
                          OR NEW.stratum IS DISTINCT FROM OLD.stratum) THEN
        RAISE EXCEPTION 'experiments_participant: an assigned arm is never changed' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER experiments_arm_never_changes
    BEFORE UPDATE ON experiments_participant
    FOR EACH ROW EXECUTE FUNCTION experiments_arm_never_changes();
CREATE OR REPLACE FUNCTION experiments_assigned_never_removed() RETURNS trigger AS $$
BEGIN
    IF OLD.arm <> '' THEN
        RAISE EXCEPTION 'experiments_participant: an assigned participant is never removed' USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER experiments_assigned_never_removed
    BEFORE DELETE ON experiments_participant
    FOR EACH ROW EXECUTE FUNCTION experiments_assigned_never_removed();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS experiments_arm_never_changes ON experiments_participant;
DROP FUNCTION IF EXISTS experiments_arm_never_changes();
DROP TRIGGER IF EXISTS experiments_assigned_never_removed ON experiments_participant;
DROP FUNCTION IF EXISTS experiments_assigned_never_removed();
"""
SQLITE = [
    """
CREATE TRIGGER experiments_arm_never_changes
BEFORE UPDATE ON experiments_participant
WHEN OLD.arm <> '' AND (NEW.arm IS NOT OLD.arm OR NEW.position IS NOT OLD.position
                        OR NEW.stratum IS NOT OLD.stratum)
BEGIN
    SELECT RAISE(ABORT, 'experiments_participant: an assigned arm is never changed');
END;
""",
    """
CREATE TRIGGER experiments_assigned_never_removed
BEFORE DELETE ON experiments_participant
WHEN OLD.arm <> ''
BEGIN
    SELECT RAISE(ABORT, 'experiments_participant: an assigned participant is never removed');
END;
""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS experiments_arm_never_changes;",
    "DROP TRIGGER IF EXISTS experiments_assigned_never_removed;",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("experiments", "0001_experiments_participants_amendments")]

    operations = [migrations.RunPython(create, drop)]
