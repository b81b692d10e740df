"""Whole-page caching for anonymous GET requests of public pages, with
exact invalidation, conditional GET and shared-cache-friendly headers.

Every public page is a pure function of (content version, language, URL):
no session, no cookie, no CSRF token. So the content version, bumped in
the same transaction as any write to public content, is enough to key the
cache and the ETag: after a write commits, every process reads the new
version and misses the old pages."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag

from portal.models import ContentVersion

logger = logging.getLogger(__name__)

UNCACHED_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/")


def bump_content_version() -> None:
    """Called for every write to public content, inside its transaction."""
    updated = ContentVersion.objects.filter(pk=1).update(value=F("value") + 1)
    if not updated:
        ContentVersion.objects.get_or_create(pk=1)


def current_version() -> tuple[int, float]:
    """(value, changed_at as a timestamp), read fresh on every request."""
    row = ContentVersion.objects.filter(pk=1).values_list("value", "changed_at").first()
    if row is None:
        return 0, 0.0
    value, changed_at = row
    return value, changed_at.replace(tzinfo=changed_at.tzinfo or UTC).timestamp()


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(UNCACHED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.PAGE_CACHE_SECONDS > 0
    )


def _key(request: HttpRequest, version: int) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{version}:{request.LANGUAGE_CODE}:{digest}"


def _etag(request: HttpRequest, version: int) -> str:
    raw = f"{version}:{request.LANGUAGE_CODE}:{request.get_full_path()}"
    return quote_etag(hashlib.sha1(raw.encode()).hexdigest()[:20])


class PageCacheMiddleware:
    """Place after LocaleMiddleware (the language is part of the key)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        try:
            version, changed_at = current_version()
        except DatabaseError:
            # The page itself will report the database problem.
            return self.get_response(request)
        etag = _etag(request, version)
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
            self._headers(response, etag, changed_at)
            return response
        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = _key(request, version)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies:
            self._headers(response, etag, changed_at)
            if response.streaming:
                # Exports and the data zip: as deterministic per content
                # version as a page, so they get the ETag (a repeat download
                # is a 304), but are never buffered into the cache.
                response["X-Page-Cache"] = "bypass"
            else:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
                response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _headers(response: HttpResponse, etag: str, changed_at: float) -> None:
        response["ETag"] = etag
        if changed_at:
            response["Last-Modified"] = http_date(changed_at)
        response["Cache-Control"] = (
            f"public, max-age={settings.PAGE_MAX_AGE}, stale-while-revalidate={settings.PAGE_STALE_WHILE_REVALIDATE}"
        )
        patch_vary_headers(response, ["Accept-Encoding"])


class PublicGZipMiddleware(GZipMiddleware):
    """Compress public pages only: admin pages carry CSRF tokens, and
    compressing secrets beside attacker-chosen text invites BREACH."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path.startswith("/admin/"):
            return response
        return super().process_response(request, response)
