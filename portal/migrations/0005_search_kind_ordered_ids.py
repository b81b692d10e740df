from django.db import migrations

# Document ids become kind_order × 2**32 + position (search.kinds.id_range);
# rows numbered before that keep their order within their kind.
RENUMBER = """
UPDATE portal_searchdocument SET id = renumbered.new_id
FROM (
    SELECT id AS old_id, kind_order * 4294967296 + ROW_NUMBER() OVER (PARTITION BY kind_order ORDER BY id) AS new_id
    FROM portal_searchdocument
) AS renumbered
WHERE portal_searchdocument.id = renumbered.old_id
"""


# The full-text index (its SQLite tables and triggers) as any earlier
# version created it: dropped before renumbering, so renumbering does not
# index every row twice. 0015 creates today's index from frozen SQL; this
# migration no longer creates one (it used live code, which has changed).
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS portal_searchdocument_ai",
    "DROP TRIGGER IF EXISTS portal_searchdocument_ad",
    "DROP TRIGGER IF EXISTS portal_searchdocument_au",
    "DROP TRIGGER IF EXISTS portal_searchdocument_fts_ai",
    "DROP TRIGGER IF EXISTS portal_searchdocument_fts_ad",
    "DROP TRIGGER IF EXISTS portal_searchdocument_fts_au",
    "DROP TABLE IF EXISTS portal_searchdocument_fts",
    "DROP TABLE IF EXISTS portal_searchdocument_head_fts",
]


def renumber_and_update_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)
    SearchDocument = apps.get_model("portal", "SearchDocument")
    if not SearchDocument.objects.using(connection.alias).filter(id__gte=2**32).exists():
        schema_editor.execute(RENUMBER)


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_content_version")]

    operations = [migrations.RunPython(renumber_and_update_index, migrations.RunPython.noop)]
