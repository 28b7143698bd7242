"""PostgreSQL: the name order of the register answered from its index alone.

The child list finds a page's keys first, walking ``child_name_idx`` in name order (see
``core.paging.page_rows``). For a filtered list the walk must test each child's sex, age,
legal status, disability and home; with the index holding only the name and the id, it
read every child it passed over from the table (for "orphans aged 14-17" in a district
scope, 30,000 rows before page 1). The index is rebuilt under the same name, carrying the
filter columns, so that the walk is an index-only scan.

The Child model declares ``child_name_idx`` on (family_name, given_name, id) for every
database; only the INCLUDE columns are PostgreSQL's (SQLite has no covering indexes).
"""

from collections.abc import Callable

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

COLUMNS = "(family_name, given_name, id)"
FILTER_COLUMNS = "(sex, date_of_birth, legal_status, has_disability, home_location_id)"


def rebuild(include: str) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
    def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("DROP INDEX IF EXISTS child_name_idx")
        schema_editor.execute(f"CREATE INDEX child_name_idx ON registry_child {COLUMNS}{include}")

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_child_filter_indexes")]

    operations = [
        migrations.RunPython(rebuild(f" INCLUDE {FILTER_COLUMNS}"), rebuild("")),
    ]
