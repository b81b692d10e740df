"""The content version follows every write to what public pages show, and
the edit history names its editor."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

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


@receiver(pre_create_historical_record)
def history_names_the_user(sender, history_instance, history_user=None, **kwargs):
    """Keep the editor's name beside the id, so the history still says who
    after the account is deleted."""
    if history_user is not None and hasattr(history_instance, "history_username"):
        history_instance.history_username = history_user.get_username()
