"""Who is asking: the client's address as the admin's brute-force guard
sees it, and what a locked-out login is told."""

import math
from datetime import datetime

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def client_ip(request: HttpRequest) -> str | None:
    """The socket's address, or, behind TRUSTED_PROXY_COUNT proxies that
    each append to X-Forwarded-For, the address the outermost one saw.
    Entries left of those are the client's to forge and are ignored."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def lock_ends_at(username: str | None, ip_address: str | None) -> datetime | None:
    """When the lock on this username and address lifts: the failure that
    brought the count within the cool-off up to the limit, plus the
    cool-off. Attempts refused during the lock are not recorded
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off), so this moment
    does not move."""
    cool_off = settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        username=username, ip_address=ip_address, attempt_time__gte=timezone.now() - cool_off
    ).order_by("-attempt_time")
    failures = 0
    for attempt_time, count in attempts.values_list("attempt_time", "failures_since_start"):
        failures += count
        if failures >= settings.AXES_FAILURE_LIMIT:
            return attempt_time + cool_off
    return None


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The 429 a locked-out login gets: in Chinese (the admin is
    Chinese-first), with Retry-After in seconds until the lock lifts."""
    username = get_client_username(request, credentials)
    ends_at = lock_ends_at(username, getattr(request, "axes_ip_address", None) or client_ip(request))
    if ends_at is None:
        # Lifted between the check and now (or no record to read): the
        # whole cool-off is the honest upper bound.
        ends_at = timezone.now() + settings.AXES_COOLOFF_TIME
    seconds = max(1, math.ceil((ends_at - timezone.now()).total_seconds()))
    minutes = math.ceil(seconds / 60)
    message = (
        f"登录失败次数过多：账号“{username or ''}”在此地址已被锁定，"
        f"请于{timezone.localtime(ends_at):%H:%M}（约{minutes}分钟后）再试。"
        "如需立即解锁，请联系管理员。"
    )
    response = HttpResponse(message, status=settings.AXES_HTTP_RESPONSE_CODE, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response
