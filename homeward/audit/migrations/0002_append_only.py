"""Database triggers that refuse to change or remove an audit event."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only';
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
]
# SQLite: updates are refused; deletes stay possible so that test runs can empty the table.
SQLITE = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
    """,
]


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES if vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent"
        if schema_editor.connection.vendor == "postgresql"
        else "DROP TRIGGER IF EXISTS audit_event_no_update"
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
