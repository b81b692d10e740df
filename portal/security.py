"""Who is asking: the client's address as the admin's brute-force guard
sees it."""

from django.conf import settings
from django.http import HttpRequest


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
