"""PostgreSQL: the children of a case manager's cases from the index alone.

access.scoping.child_scope asks ``child_id IN (SELECT child_id FROM cases_case WHERE
case_manager_id = %s)``; with (case_manager_id, child_id) indexed, a caseload of tens of
thousands is read from the index instead of one heap page per case. Not declared on the
Case model: the embedded SQLite database does not need it.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS case_manager_child_idx "
        "ON cases_case (case_manager_id, child_id)"
    )
    schema_editor.execute("ANALYZE cases_case")


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS case_manager_child_idx")


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_search_words"), ("cases", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
