"""Database triggers that make the processing log append-only, whatever code or person touches the tables.

PostgreSQL: a row trigger refuses UPDATE and DELETE (TRUNCATE needs table ownership and is the DBA's
retention tool). SQLite: BEFORE UPDATE/DELETE triggers that abort.
"""

TABLES = ("audit_processinglogentry", "audit_processinglogsubject")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION meedoen_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The processing log is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END
$$;
"""


def create_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        statements = [POSTGRES_FUNCTION]
        for table in TABLES:
            statements.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION meedoen_append_only();"
            )
        return statements
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'The processing log is append-only'); END;"
            for table in TABLES
            for op in ("UPDATE", "DELETE")
        ]
    return []


def drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in TABLES]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()};"
            for table in TABLES
            for op in ("UPDATE", "DELETE")
        ]
    return []
