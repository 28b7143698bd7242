"""PostgreSQL: the planner learns that a worker's children live in the worker's area.

A case manager's, a team's and a supervisor's children (``Child.scope_*``, migration 0011)
live in the districts their agency serves, so "my children in this district" is nearly
all of "my children". Without being told, PostgreSQL multiplies the two selectivities and
expects a few dozen rows where there are thousands: for a name search filtered by district
it then intersected three whole indexes (20 ms for the page's keys) instead of walking the
primary key until the page is full (3 ms). Functional-dependency statistics on each key with
the home location correct that estimate; ANALYZE keeps them current.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SCOPE_KEYS = ("scope_case_manager_id", "scope_team_id", "scope_supervisor_id")


def statistics_name(key: str) -> str:
    return f"child_{key.removeprefix('scope_').removesuffix('_id')}_home_stats"


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for key in SCOPE_KEYS:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {statistics_name(key)} (dependencies) "
            f"ON {key}, home_location_id FROM registry_child"
        )
    schema_editor.execute("ANALYZE registry_child")


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for key in SCOPE_KEYS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {statistics_name(key)}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0012_filter_indexes_carry_scope_and_sort_keys")]

    operations = [migrations.RunPython(create, drop)]
