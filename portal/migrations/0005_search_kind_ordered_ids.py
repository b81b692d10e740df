from django.db import migrations

# Document ids become kind_order × 2**32 + position (portal.search.id_range);
# rows numbered before that keep their order within their kind.
RENUMBER = """
UPDATE portal_searchdocument SET id = renumbered.new_id
FROM (
    SELECT id AS old_id, kind_order * 4294967296 + ROW_NUMBER() OVER (PARTITION BY kind_order ORDER BY id) AS new_id
    FROM portal_searchdocument
) AS renumbered
WHERE portal_searchdocument.id = renumbered.old_id
"""


def renumber_and_update_index(apps, schema_editor):
    from portal.search import FTS_TABLE, SQLITE_TRIGGERS, ensure_search_schema

    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        # The FTS5 table gets new options; drop it (and the triggers that
        # feed it) first, so renumbering does not index every row twice.
        for trigger in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    SearchDocument = apps.get_model("portal", "SearchDocument")
    if not SearchDocument.objects.using(connection.alias).filter(id__gte=2**32).exists():
        schema_editor.execute(RENUMBER)
    ensure_search_schema(connection)


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_content_version")]

    operations = [migrations.RunPython(renumber_and_update_index, migrations.RunPython.noop)]
