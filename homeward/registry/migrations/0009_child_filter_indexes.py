"""PostgreSQL: the register's filters answered from indexes alone.

The child list counts (up to 1001) and pages the children that pass its filters and the
user's scope. For a wide scope (a district's 45,000 cases) the filtered rows are joined to
the scope by id; with only single-column indexes every matching row was read from the
table to learn its id, tens of thousands of pages for a filter such as "orphans aged
14-17". These indexes carry the id and the other filter columns, so that each filter
combination is an index-only scan:

- legal status (and age): ``(legal_status, date_of_birth)``;
- area (and sex, age): ``(home_location_id, sex, date_of_birth)``;
- disability (and area): a partial index over children with a disability;
- sex and age: ``(sex, date_of_birth)``.

Not declared on the Child model: the embedded SQLite database does not need them.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

INDEXES = {
    "child_status_born_idx": (
        "(legal_status, date_of_birth) INCLUDE (id, sex, has_disability, home_location_id)"
    ),
    "child_home_sex_born_idx": (
        "(home_location_id, sex, date_of_birth) INCLUDE (id, has_disability, legal_status)"
    ),
    "child_disability_home_idx": (
        "(home_location_id, date_of_birth) INCLUDE (id, sex, legal_status) WHERE has_disability"
    ),
    "child_sex_born_idx": (
        "(sex, date_of_birth) INCLUDE (id, has_disability, legal_status, home_location_id)"
    ),
}


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_child {definition}")
    schema_editor.execute("ANALYZE registry_child")


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_case_manager_children_index")]

    operations = [migrations.RunPython(create, drop)]
