"""Keep search documents in step with the records, inside the same
transaction as the edit. Fixture loads (raw saves, or a load that has
suspended syncing) rebuild the index once at the end instead."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from portal import search
from portal.caching import bump_content_version
from portal.models import Citation, PublicRecord, Report, Synonym

# Writes to these change what public pages (or search results) show.
VERSIONED = (PublicRecord, Citation, Report, Synonym)


@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, **kwargs):
    if issubclass(sender, VERSIONED):
        bump_content_version()


@receiver(m2m_changed)
def content_relation_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, VERSIONED):
        bump_content_version()


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def synonym_changed(sender, **kwargs):
    # Now for this process, and again once the edit commits, so no search
    # in between caches the table from before it.
    search.forget_synonyms()
    transaction.on_commit(search.forget_synonyms)


def _wanted(sender, raw: bool = False) -> bool:
    return issubclass(sender, PublicRecord) and not raw and not search.sync_is_suspended()


@receiver(post_save)
def record_saved(sender, instance, raw=False, **kwargs):
    if not _wanted(sender, raw):
        return
    search.index_record(instance)
    for dependent in search.dependents(instance):
        search.index_record(dependent)


@receiver(pre_delete)
def record_about_to_be_deleted(sender, instance, **kwargs):
    if _wanted(sender):
        instance._search_dependents = search.dependents(instance)


@receiver(post_delete)
def record_deleted(sender, instance, **kwargs):
    if not _wanted(sender):
        return
    search.remove_record(sender, instance.pk)
    for dependent in getattr(instance, "_search_dependents", []):
        if dependent.pk is not None and type(dependent)._default_manager.filter(pk=dependent.pk).exists():
            search.index_record(dependent)


@receiver(m2m_changed)
def relation_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"} or search.sync_is_suspended():
        return
    if not reverse and isinstance(instance, PublicRecord):
        search.index_record(instance)
    elif reverse and issubclass(model, PublicRecord):
        # e.g. person.exhibits.add(...): the changed records are the others.
        for record in model._default_manager.filter(pk__in=pk_set or []):
            search.index_record(record)


@receiver(post_migrate)
def search_schema_after_migrate(sender, using="default", **kwargs):
    if sender.name != "portal":
        return
    from django.db import DEFAULT_DB_ALIAS, connections

    search.ensure_search_schema(connections[using])
    # Documents analysed by an older analyzer (or before the version was
    # recorded) are rebuilt once, after every migration has run, so an
    # existing database gets the new terms with `migrate` alone. A partial
    # migrate (to a named migration) leaves them: the records' tables may
    # not match the models yet, and the next full migrate rebuilds.
    if using == DEFAULT_DB_ALIAS and not search.analysis_is_current(using) and _fully_migrated(using):
        with transaction.atomic(using=using):
            search.rebuild()
            bump_content_version()


def _fully_migrated(using: str) -> bool:
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


@receiver(pre_create_historical_record)
def history_names_the_user(sender, history_instance, history_user=None, **kwargs):
    """Keep the editor's name beside the id, so the history still says who
    after the account is deleted."""
    if history_user is not None and hasattr(history_instance, "history_username"):
        history_instance.history_username = history_user.get_username()
