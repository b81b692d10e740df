"""Keep search documents in step with the records, inside the same
transaction as the edit. Bulk writes (raw saves, or writes inside
portal.bulk.bulk_writes) skip this; a fixture load then rebuilds the index
once at the end (records_loaded)."""

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete
from django.dispatch import receiver

from portal.bulk import in_bulk_writes, records_loaded
from portal.caching import bump_content_version
from portal.models import PublicRecord, SearchDocument, Synonym
from search import index, query


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def synonym_changed(sender, **kwargs):
    # Now for this process, and again once the edit commits, so no search
    # in between caches the table from before it.
    query.forget_synonyms()
    transaction.on_commit(query.forget_synonyms)


def _wanted(sender, raw: bool = False) -> bool:
    return issubclass(sender, PublicRecord) and not raw and not in_bulk_writes()


@receiver(post_save)
def record_saved(sender, instance, raw=False, **kwargs):
    if not _wanted(sender, raw):
        return
    index.index_record(instance)
    for dependent in index.dependents(instance):
        index.index_record(dependent)


@receiver(pre_delete)
def record_about_to_be_deleted(sender, instance, **kwargs):
    if _wanted(sender):
        instance._search_dependents = index.dependents(instance)


@receiver(post_delete)
def record_deleted(sender, instance, **kwargs):
    if not _wanted(sender):
        return
    index.remove_record(sender, instance.pk)
    for dependent in getattr(instance, "_search_dependents", []):
        if dependent.pk is not None and type(dependent)._default_manager.filter(pk=dependent.pk).exists():
            index.index_record(dependent)


@receiver(m2m_changed)
def relation_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"} or in_bulk_writes():
        return
    if not reverse and isinstance(instance, PublicRecord):
        index.index_record(instance)
    elif reverse and issubclass(model, PublicRecord):
        # e.g. person.exhibits.add(...): the changed records are the others.
        for record in model._default_manager.filter(pk__in=pk_set or []):
            index.index_record(record)


@receiver(records_loaded)
def rebuild_after_a_load(sender, **kwargs) -> int:
    return index.rebuild()


@receiver(post_migrate)
def rebuild_stale_documents(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """Documents analysed by an older analyzer (or before the version was
    recorded) are rebuilt once, after every migration has run, so an
    existing database gets the new terms with `migrate` alone. A partial
    migrate (to a named migration) leaves them: the records' tables may
    not match the models yet, and the next full migrate rebuilds. (The
    index's schema is the migrations' own, portal 0015.)"""
    # post_migrate is sent once per app with models; the documents' app's turn.
    if sender.label != SearchDocument._meta.app_label:
        return
    if using == DEFAULT_DB_ALIAS and not index.analysis_is_current(using) and _fully_migrated(using):
        with transaction.atomic(using=using):
            index.rebuild()
            bump_content_version()


def _fully_migrated(using: str) -> bool:
    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())
