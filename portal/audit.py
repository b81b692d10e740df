"""The audit log: one JSON line per staff login, failed login, lockout,
logout and admin edit, on the `portal.audit` logger, so whoever runs the
site can ship, grep and alert on them without parsing prose."""

import logging

from axes.signals import user_locked_out
from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from portal.security import client_ip

logger = logging.getLogger("portal.audit")

ADMIN_ACTIONS = {1: "add", 2: "change", 3: "delete"}


def audit(event: str, level: int = logging.INFO, **fields) -> None:
    logger.log(level, event, extra={"audit": {"event": event, **fields}})


def _address(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit-login")
def _logged_in(sender, request, user, **kwargs) -> None:
    audit("login", username=user.get_username(), user_id=user.pk, address=_address(request))


@receiver(user_logged_out, dispatch_uid="audit-logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    audit("logout", username=user.get_username() if user else None, address=_address(request))


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`.
    audit("login_failed", logging.WARNING, username=credentials.get("username"), address=_address(request))


@receiver(user_locked_out, dispatch_uid="audit-locked-out")
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit("lockout", logging.WARNING, username=username, address=ip_address)


def _model_label(entry: LogEntry) -> str | None:
    model = entry.content_type.model_class() if entry.content_type_id else None
    return model._meta.label if model else None


@receiver(post_save, sender=LogEntry, dispatch_uid="audit-admin-edit")
def _admin_edit(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created:
        return
    audit(
        "admin_edit",
        action=ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
        username=instance.user.get_username() if instance.user_id else None,
        user_id=instance.user_id,
        model=_model_label(instance),
        object_id=str(instance.object_id),
        object=instance.object_repr,
        change=instance.get_change_message(),
    )
