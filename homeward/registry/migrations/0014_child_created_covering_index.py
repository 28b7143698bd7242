"""PostgreSQL: the register sorted by registration answered from its index alone.

A list sorted by registration (newest first) walks ``child_created_idx`` backwards until
the page is full. With the index holding only the time and the id, every child passed over
was read from the table to test the filters: "girls aged 7-13 in this district" for the
district's case manager read 7,000 rows for page 1 (19 ms). Carrying the filter columns and
the scope keys (migration 0011), the walk is an index-only scan (1.4 ms). The planner takes
that walk now that it knows a worker's children live in the worker's area (migration 0013);
before, it misjudged the rows and sorted the filter index's instead.

The Child model declares ``child_created_idx`` on (created_at, id) for every database; only
the INCLUDE columns are PostgreSQL's (SQLite has no covering indexes).
"""

from collections.abc import Callable

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

COLUMNS = "(created_at, id)"
CARRIED = (
    "(sex, date_of_birth, legal_status, has_disability, home_location_id, "
    "scope_case_manager_id, scope_team_id, scope_supervisor_id)"
)


def rebuild(include: str) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
    def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("DROP INDEX IF EXISTS child_created_idx")
        schema_editor.execute(
            f"CREATE INDEX child_created_idx ON registry_child {COLUMNS}{include}"
        )

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0013_child_scope_home_statistics")]

    operations = [migrations.RunPython(rebuild(f" INCLUDE {CARRIED}"), rebuild(""))]
