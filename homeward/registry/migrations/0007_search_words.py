"""PostgreSQL indexes for the register's search box (SQLite searches without them).

- ``string_to_array(search_key, ' ')`` (GIN) on children and persons: rows holding given
  words, found by ``@>`` / ``&&`` without scoring every trigram candidate;
- ``registry_searchword``: every distinct word of every stored key, with a trigram index,
  so that a misspelt or partial query word is widened to the stored words like it by
  looking at a few thousand words rather than a million keys. Triggers on both tables keep
  it exact: a new word is added, a word no key holds any more is removed (an erased name
  leaves nothing behind);
- trigrams of ``case_number`` (GIN): the running number typed alone, LIKE '%-00042'.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLES = [("registry_child", "child"), ("registry_person", "person")]

SYNC_FUNCTION = """
CREATE OR REPLACE FUNCTION registry_searchword_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_words text[] := '{}';
    new_words text[] := '{}';
    gone text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_words := string_to_array(OLD.search_key, ' ');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        new_words := string_to_array(NEW.search_key, ' ');
    END IF;
    INSERT INTO registry_searchword (word)
        SELECT DISTINCT w FROM unnest(new_words) AS w
        WHERE w <> '' AND NOT (w = ANY (old_words))
        ON CONFLICT (word) DO NOTHING;
    FOR gone IN
        SELECT DISTINCT w FROM unnest(old_words) AS w
        WHERE w <> '' AND NOT (w = ANY (new_words))
    LOOP
        DELETE FROM registry_searchword s
        WHERE s.word = gone
          AND NOT EXISTS (
              SELECT 1 FROM registry_child c
              WHERE string_to_array(c.search_key, ' ') @> ARRAY[gone])
          AND NOT EXISTS (
              SELECT 1 FROM registry_person p
              WHERE string_to_array(p.search_key, ' ') @> ARRAY[gone]);
    END LOOP;
    RETURN NULL;
END
$$
"""


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, prefix in TABLES:
        execute(
            f"CREATE INDEX IF NOT EXISTS {prefix}_search_words "
            f"ON {table} USING gin (string_to_array(search_key, ' '))"
        )
    execute(
        "CREATE INDEX IF NOT EXISTS child_case_number_trgm "
        "ON registry_child USING gin (case_number gin_trgm_ops)"
    )
    execute("CREATE TABLE IF NOT EXISTS registry_searchword (word text PRIMARY KEY)")
    execute(
        "INSERT INTO registry_searchword (word) "
        "SELECT w FROM (SELECT unnest(string_to_array(search_key, ' ')) AS w "
        "FROM registry_child UNION SELECT unnest(string_to_array(search_key, ' ')) "
        "FROM registry_person) AS words WHERE w <> '' ON CONFLICT (word) DO NOTHING"
    )
    execute(
        "CREATE INDEX IF NOT EXISTS searchword_trgm "
        "ON registry_searchword USING gin (word gin_trgm_ops)"
    )
    execute(SYNC_FUNCTION)
    for table, prefix in TABLES:
        execute(f"DROP TRIGGER IF EXISTS {prefix}_searchword ON {table}")
        execute(
            f"CREATE TRIGGER {prefix}_searchword "
            f"AFTER INSERT OR DELETE OR UPDATE OF search_key ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION registry_searchword_sync()"
        )
    for table, _prefix in TABLES:
        execute(f"ANALYZE {table}")
    execute("ANALYZE registry_searchword")


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    for table, prefix in TABLES:
        execute(f"DROP TRIGGER IF EXISTS {prefix}_searchword ON {table}")
        execute(f"DROP INDEX IF EXISTS {prefix}_search_words")
    execute("DROP FUNCTION IF EXISTS registry_searchword_sync()")
    execute("DROP TABLE IF EXISTS registry_searchword")
    execute("DROP INDEX IF EXISTS child_case_number_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_child_created_idx")]

    operations = [migrations.RunPython(create, drop)]
