"""Database triggers that refuse to change or remove an audit event.

The one change allowed is redaction: `changes` replaced and `redacted` set, every other column
as it was (the chain covers a digest of the changes, so it still verifies).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

KEPT = [
    "id",
    "seq",
    "uuid",
    "occurred_at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_uuid",
    "object_label",
    "changes_digest",
    "detail",
    "ip_address",
    "prev_hash",
    "hash",
]

POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.redacted AND NOT OLD.redacted
           AND ({", ".join("NEW." + c for c in KEPT)})
               IS NOT DISTINCT FROM ({", ".join("OLD." + c for c in KEPT)}) THEN
            RETURN NEW;
        END IF;
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
    f"""
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    WHEN NOT (NEW.redacted = 1 AND OLD.redacted = 0
              AND {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in KEPT)})
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
    """,
]


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES if vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
