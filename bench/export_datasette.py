"""Export the published exhibits to a SQLite file for Datasette, the way a
Datasette user would publish them: one flat table with the names of what
each exhibit links to, and an FTS5 table over it.

Datasette's default FTS5 tokenizer does not split Chinese text into words,
so the indexed column holds the portal's own analyzer output (character
bigrams, portal.text.index_tokens): a two-character query then matches the
same records on both sides.

    DATABASE_URL=… python -m bench.export_datasette /tmp/exhibits.sqlite3
"""

import sqlite3
import sys
from pathlib import Path

import bench.django_setup  # noqa: F401  (before any model is imported)

# isort: split
from exhibits.models import Exhibit
from portal.text import index_tokens

SCHEMA = """
CREATE TABLE exhibits (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_en TEXT,
    kind TEXT,
    area TEXT,
    organisation TEXT,
    makers TEXT,
    description TEXT,
    description_en TEXT,
    search_text TEXT
);
CREATE VIRTUAL TABLE exhibits_fts USING fts5(name, search_text, content='exhibits', content_rowid='id');
"""


def export(path: Path) -> int:
    path.unlink(missing_ok=True)
    database = sqlite3.connect(path)
    database.executescript(SCHEMA)
    rows = (
        Exhibit.objects.published()
        .order_by("order", "slug")
        .values_list(
            "id",
            "slug",
            "name",
            "name_en",
            "kind__name",
            "area__name",
            "organisation__name",
            "makers_as_written",
            "description",
            "description_en",
        )
    )
    batch = []
    count = 0
    for row in rows.iterator(chunk_size=2000):
        batch.append((*row, index_tokens(f"{row[2]} {row[8]}")))
        if len(batch) == 2000:
            database.executemany("INSERT INTO exhibits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
            count += len(batch)
            batch = []
    database.executemany("INSERT INTO exhibits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
    count += len(batch)
    database.execute("INSERT INTO exhibits_fts(rowid, name, search_text) SELECT id, name, search_text FROM exhibits")
    database.commit()
    database.execute("VACUUM")
    database.close()
    return count


if __name__ == "__main__":
    print(f"Exported {export(Path(sys.argv[1]))} exhibits to {sys.argv[1]}")
