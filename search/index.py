"""The search documents: one per public record, built from the record and
the names it links to (as its kind declares, search.kinds), kept in sync
by search.signals in the same transaction as the edit, and rebuilt whole
by `rebuild_search_index` and after a fixture load."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, models, router, transaction
from django.utils import translation

from portal.models import PublicRecord, SearchDocument, may_show
from portal.text import ANALYZER_VERSION, index_tokens, pinyin_tokens
from search.kinds import KIND_BY_KEY, KINDS, Source, id_range, indexed_models, kind_of, source_of
from search.schema import SQLITE_TABLES, ensure_search_schema


def _names(records: Iterable) -> list[str]:
    """The names of the linked records the public may see: a hidden one
    neither finds this record nor shows in its snippet."""
    names: list[str] = []
    for record in records:
        if may_show(record):
            names.extend([record.name, getattr(record, "name_en", "")])
    return names


def _linked_text(record: PublicRecord, source: Source) -> list[str]:
    """Extra words that find a record: its kind's text fields, then the
    names it links to."""
    text = [getattr(record, name) for name in source.texts]
    for name in source.names:
        related = getattr(record, name)
        text += _names(related.all() if isinstance(related, models.Manager) else [related])
    return [t for t in text if t]


def _is_selected(model: type[models.Model], name: str) -> bool:
    """Whether a relation is one record read in the same query (a foreign
    key), rather than many, prefetched."""
    field = model._meta.get_field(name)
    return field.concrete and (field.many_to_one or field.one_to_one)


def _related_for_rebuild(model: type[models.Model]) -> models.QuerySet:
    queryset = model.objects.published()
    source = source_of(model)
    names = source.names if source else ()
    selected = [name for name in names if _is_selected(model, name)]
    prefetched = [name for name in names if not _is_selected(model, name)]
    if selected:
        queryset = queryset.select_related(*selected)
    if prefetched:
        queryset = queryset.prefetch_related(*prefetched)
    return queryset.order_by("order", "pk")


def document_values(record: PublicRecord, kind: str) -> dict:
    source = source_of(type(record))
    short_names = getattr(record, "short_names", "")
    head_text = " ".join([record.name, record.name_en, short_names])
    names_for_pinyin = [record.name, short_names] if short_names else [record.name]
    # Everything that finds the record is indexed; what a result shows is
    # the record's own description in the page's language.
    text = "\n".join([record.description, *_linked_text(record, source)])
    with translation.override(settings.LANGUAGE_CODE):
        # Stored without a language prefix; pages add /en/ themselves.
        path = record.get_absolute_url() or ""
    return {
        "kind": kind,
        "kind_order": KIND_BY_KEY[kind].order,
        "path": path,
        "title": record.name[:250],
        "title_en": record.name_en[:250],
        "text": record.description,
        "text_en": record.description_en,
        "head": index_tokens(head_text),
        "pinyin": " ".join(
            pinyin_tokens(name, is_person=source.person) for name in names_for_pinyin if KIND_BY_KEY[kind].pinyin
        ),
        "body": index_tokens(" ".join([text, record.description_en, record.inferred_note])),
        "analyzer": ANALYZER_VERSION,
    }


def index_record(record: PublicRecord) -> None:
    kind = kind_of(type(record))
    if kind is None:
        return
    content_type = ContentType.objects.get_for_model(record)
    if not record.is_published:
        SearchDocument.objects.filter(content_type=content_type, object_id=record.pk).delete()
        return
    # Re-read with the relations the document needs, so what is indexed is
    # what was committed.
    fresh = _related_for_rebuild(type(record)).filter(pk=record.pk).first()
    if fresh is None:
        SearchDocument.objects.filter(content_type=content_type, object_id=record.pk).delete()
        return
    values = document_values(fresh, kind)
    using = router.db_for_write(SearchDocument)
    documents = SearchDocument.objects.using(using).filter(content_type=content_type, object_id=record.pk)
    # One transaction from the update to the insert, so the id lock below
    # is held until the new document is committed.
    with transaction.atomic(using=using):
        if documents.update(**values):
            return
        _lock_ids(using, [kind])
        # Another writer may have made this record's document while we waited.
        if not documents.update(**values):
            SearchDocument.objects.using(using).create(
                id=_next_id(kind, using), content_type=content_type, object_id=record.pk, **values
            )


# pg_advisory_xact_lock(ID_LOCK_CLASS, kind order) guards "the next id of a
# kind": the first key keeps these locks apart from any other advisory lock.
ID_LOCK_CLASS = 0x5EA4C


def _lock_ids(using: str, kinds: Iterable[str]) -> None:
    """Hold, until the transaction ends, the right to give out ids of these
    kinds, so two writers never read the same max and pick the same id.

    PostgreSQL: a transaction-scoped advisory lock per kind (a second writer
    waits here, then reads the max in a new statement, which sees the first
    writer's committed document). SQLite needs none: it has one write lock
    for the whole database, taken by a transaction's first write and held to
    its end, and index_record writes (its UPDATE, even one matching nothing)
    before it reads the max."""
    db = connections[using]
    if db.vendor != "postgresql":
        return
    with db.cursor() as cursor:
        for order in sorted(KIND_BY_KEY[kind].order for kind in set(kinds)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ID_LOCK_CLASS, order])


def _next_id(kind: str, using: str) -> int:
    """A new document goes after the others of its kind (call with the
    kind's id lock held: _lock_ids)."""
    low, high = id_range(kind)
    last = SearchDocument.objects.using(using).filter(id__gte=low, id__lt=high).aggregate(last=models.Max("id"))["last"]
    return (last or low) + 1


def remove_record(model: type[models.Model], pk: int) -> None:
    content_type = ContentType.objects.get_for_model(model)
    SearchDocument.objects.filter(content_type=content_type, object_id=pk).delete()


def dependents(record: models.Model) -> list[PublicRecord]:
    """Records whose documents include this record's name: those of every
    kind that names records of its model (Kind sources' `names`)."""
    found: list[PublicRecord] = []
    for kind in KINDS:
        for source in kind.sources:
            for name in source.names:
                if isinstance(record, source.model._meta.get_field(name).related_model):
                    found += source.model._default_manager.filter(**{name: record})
    return found


def rebuild(progress=None) -> int:
    """Rebuild every document from the records, in one transaction."""
    total = 0
    with transaction.atomic():
        ensure_search_schema()
        SearchDocument.objects.all().delete()
        positions = dict.fromkeys(KIND_BY_KEY, 0)
        for model, kind in indexed_models():
            content_type = ContentType.objects.get_for_model(model)
            batch = []
            for record in _related_for_rebuild(model).iterator(chunk_size=2000):
                positions[kind] += 1
                batch.append(
                    SearchDocument(
                        id=id_range(kind)[0] + positions[kind],
                        content_type=content_type,
                        object_id=record.pk,
                        **document_values(record, kind),
                    )
                )
                if len(batch) >= 1000:
                    SearchDocument.objects.bulk_create(batch)
                    total += len(batch)
                    if progress:
                        progress(total)
                    batch = []
            SearchDocument.objects.bulk_create(batch)
            total += len(batch)
            if progress:
                progress(total)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for table in SQLITE_TABLES:
                    cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            else:
                # Fresh planner statistics for the new rows (VACUUM, which
                # would also flush the GIN pending lists, cannot run inside
                # a transaction; autovacuum does it soon after).
                cursor.execute("ANALYZE portal_searchdocument")
    return total


def analysis_is_current(using: str = "default") -> bool:
    """Whether every document was analysed by today's analyzer (portal.text
    ANALYZER_VERSION); if not, the documents need a rebuild."""
    return not SearchDocument.objects.using(using).exclude(analyzer=ANALYZER_VERSION).exists()
