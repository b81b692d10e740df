"""Search over every public record, on SQLite (FTS5) and PostgreSQL
(tsvector), with the same analyzer (portal.text), the same matching and the
same order.

- kinds: what is indexed. Each app declares its own kinds of record (search
  declares portal's); ids are kind order × 2**32 + position.
- index: one SearchDocument per public record, built from the record and
  the names it links to; kept in sync by signals (search.signals) in the
  same transaction as the edit, and rebuilt by `rebuild_search_index`.
- schema: the full-text index over those rows, created by portal's
  migrations from frozen SQL; ensure_search_schema checks and repairs it.
- query: parsing, matching, counts per kind and the results in order.
- highlight: marking the matches in what a result shows.
"""
