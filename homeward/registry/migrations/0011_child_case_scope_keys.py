"""Each child carries who works on its case: the case manager, team and supervisor.

``access.scoping.child_scope`` selects a case manager's children as
``scope_case_manager_id = %s`` on the child, and a team supervisor's by team and
supervisor, instead of ``id IN (SELECT child_id FROM cases_case WHERE ...)``. With the
scope a join, PostgreSQL listed a district's 45,000 cases in name order by walking every
child in name order and probing the cases for each (14,000 probes for page 1, 30,000 for
page 40); with the scope on the row, the list is one range of an index.

The three columns are the shadow of the child's case (one case per child), kept by the
database on both engines:

- when a case is created, changes hands or is deleted, its child's columns follow
  (PostgreSQL: one statement-level trigger per statement, so a census import's COPY of
  100,000 cases costs one UPDATE; SQLite: row triggers);
- a child saved by the application with other values (an instance loaded before its case
  changed hands) gets them back from its case.

PostgreSQL also gets one index per column, in name order, carrying the list's filter and
sort columns, over the children that have such a worker.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POSTGRESQL = [
    # A child written with other keys than its case's gets its case's back. The case
    # triggers below write the right ones from inside a trigger and are trusted.
    """
    CREATE FUNCTION registry_child_keep_scope_keys() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF pg_trigger_depth() = 1 THEN
            SELECT case_manager_id, team_id, supervisor_id
            INTO NEW.scope_case_manager_id, NEW.scope_team_id, NEW.scope_supervisor_id
            FROM cases_case WHERE child_id = NEW.id;
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER registry_child_scope_keys_insert BEFORE INSERT ON registry_child
    FOR EACH ROW
    WHEN (num_nonnulls(NEW.scope_case_manager_id, NEW.scope_team_id, NEW.scope_supervisor_id) > 0)
    EXECUTE FUNCTION registry_child_keep_scope_keys()
    """,
    """
    CREATE TRIGGER registry_child_scope_keys_update
    BEFORE UPDATE OF scope_case_manager_id, scope_team_id, scope_supervisor_id
    ON registry_child FOR EACH ROW
    WHEN ((NEW.scope_case_manager_id, NEW.scope_team_id, NEW.scope_supervisor_id)
          IS DISTINCT FROM (OLD.scope_case_manager_id, OLD.scope_team_id, OLD.scope_supervisor_id))
    EXECUTE FUNCTION registry_child_keep_scope_keys()
    """,
    """
    CREATE FUNCTION cases_case_copy_scope_keys() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE registry_child c
        SET scope_case_manager_id = k.case_manager_id,
            scope_team_id = k.team_id,
            scope_supervisor_id = k.supervisor_id
        FROM changed_cases k
        WHERE c.id = k.child_id
          AND (c.scope_case_manager_id, c.scope_team_id, c.scope_supervisor_id)
              IS DISTINCT FROM (k.case_manager_id, k.team_id, k.supervisor_id);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER cases_case_scope_keys_insert AFTER INSERT ON cases_case
    REFERENCING NEW TABLE AS changed_cases
    FOR EACH STATEMENT EXECUTE FUNCTION cases_case_copy_scope_keys()
    """,
    """
    CREATE TRIGGER cases_case_scope_keys_update AFTER UPDATE ON cases_case
    REFERENCING NEW TABLE AS changed_cases
    FOR EACH STATEMENT EXECUTE FUNCTION cases_case_copy_scope_keys()
    """,
    """
    CREATE FUNCTION cases_case_clear_scope_keys() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE registry_child c
        SET scope_case_manager_id = NULL, scope_team_id = NULL, scope_supervisor_id = NULL
        FROM removed_cases k
        WHERE c.id = k.child_id
          AND NOT EXISTS (SELECT 1 FROM cases_case n WHERE n.child_id = c.id);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER cases_case_scope_keys_delete AFTER DELETE ON cases_case
    REFERENCING OLD TABLE AS removed_cases
    FOR EACH STATEMENT EXECUTE FUNCTION cases_case_clear_scope_keys()
    """,
]
POSTGRESQL_UNDO = [
    "DROP TRIGGER IF EXISTS cases_case_scope_keys_delete ON cases_case",
    "DROP TRIGGER IF EXISTS cases_case_scope_keys_update ON cases_case",
    "DROP TRIGGER IF EXISTS cases_case_scope_keys_insert ON cases_case",
    "DROP TRIGGER IF EXISTS registry_child_scope_keys_update ON registry_child",
    "DROP TRIGGER IF EXISTS registry_child_scope_keys_insert ON registry_child",
    "DROP FUNCTION IF EXISTS cases_case_clear_scope_keys()",
    "DROP FUNCTION IF EXISTS cases_case_copy_scope_keys()",
    "DROP FUNCTION IF EXISTS registry_child_keep_scope_keys()",
]
POSTGRESQL_FILL = """
UPDATE registry_child c
SET scope_case_manager_id = k.case_manager_id,
    scope_team_id = k.team_id,
    scope_supervisor_id = k.supervisor_id
FROM cases_case k
WHERE k.child_id = c.id AND num_nonnulls(k.case_manager_id, k.team_id, k.supervisor_id) > 0
"""
# the list's filter and sort columns, so that a worker's list and its count are read from
# the index alone in any order (name order directly, the others by sorting their range)
INDEXES = {
    "child_case_manager_name_idx": "scope_case_manager_id",
    "child_team_name_idx": "scope_team_id",
    "child_supervisor_name_idx": "scope_supervisor_id",
}
INDEX = (
    "CREATE INDEX {name} ON registry_child ({column}, family_name, given_name, id) "
    "INCLUDE (sex, date_of_birth, legal_status, has_disability, home_location_id, "
    "case_number, created_at) WHERE {column} IS NOT NULL"
)

# A case never moves to another child (one case per child): the copy follows the case's
# own child, as on PostgreSQL.
SQLITE_COPY = """
        UPDATE registry_child
        SET scope_case_manager_id = NEW.case_manager_id,
            scope_team_id = NEW.team_id,
            scope_supervisor_id = NEW.supervisor_id
        WHERE id = NEW.child_id;
"""
SQLITE = [
    f"CREATE TRIGGER cases_case_scope_keys_insert AFTER INSERT ON cases_case BEGIN {SQLITE_COPY} END",
    "CREATE TRIGGER cases_case_scope_keys_update "
    f"AFTER UPDATE OF case_manager_id, team_id, supervisor_id ON cases_case BEGIN {SQLITE_COPY} END",
    """
    CREATE TRIGGER cases_case_scope_keys_delete AFTER DELETE ON cases_case BEGIN
        UPDATE registry_child
        SET scope_case_manager_id = NULL, scope_team_id = NULL, scope_supervisor_id = NULL
        WHERE id = OLD.child_id;
    END
    """,
    # SQLite triggers cannot change the row being written: it is corrected just after
    # (recursive triggers are off, so this update does not fire the trigger again)
    """
    CREATE TRIGGER registry_child_scope_keys
    AFTER UPDATE OF scope_case_manager_id, scope_team_id, scope_supervisor_id
    ON registry_child BEGIN
        UPDATE registry_child
        SET scope_case_manager_id = (SELECT case_manager_id FROM cases_case k WHERE k.child_id = NEW.id),
            scope_team_id = (SELECT team_id FROM cases_case k WHERE k.child_id = NEW.id),
            scope_supervisor_id = (SELECT supervisor_id FROM cases_case k WHERE k.child_id = NEW.id)
        WHERE id = NEW.id;
    END
    """,
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS registry_child_scope_keys",
    "DROP TRIGGER IF EXISTS cases_case_scope_keys_delete",
    "DROP TRIGGER IF EXISTS cases_case_scope_keys_update",
    "DROP TRIGGER IF EXISTS cases_case_scope_keys_insert",
]
SQLITE_FILL = """
UPDATE registry_child
SET scope_case_manager_id = (SELECT case_manager_id FROM cases_case k WHERE k.child_id = registry_child.id),
    scope_team_id = (SELECT team_id FROM cases_case k WHERE k.child_id = registry_child.id),
    scope_supervisor_id = (SELECT supervisor_id FROM cases_case k WHERE k.child_id = registry_child.id)
WHERE id IN (SELECT child_id FROM cases_case)
"""


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # the triggers are created after the fill, so that it writes each child once
        schema_editor.execute(POSTGRESQL_FILL)
        for statement in POSTGRESQL:
            schema_editor.execute(statement)
        for name, column in INDEXES.items():
            schema_editor.execute(INDEX.format(name=name, column=column))
        schema_editor.execute("ANALYZE registry_child")
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FILL)
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        for statement in POSTGRESQL_UNDO:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in SQLITE_UNDO:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_child_name_covering_index"),
        ("cases", "0005_task_open_due_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="child",
            name="scope_case_manager_id",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="child",
            name="scope_supervisor_id",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="child",
            name="scope_team_id",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(create, drop),
    ]
