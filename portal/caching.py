"""Whole-page caching for anonymous GET requests of public pages, with
exact invalidation, conditional GET and shared-cache-friendly headers.

Every public page is a pure function of (content version, language, URL):
no session, no cookie, no CSRF token. So the content version, bumped in
the same transaction as any write to public content, is enough to key the
cache and the ETag: after a write commits, every process reads the new
version and misses the old pages."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable
from datetime import UTC
from urllib.parse import parse_qsl, unquote_plus, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import DatabaseError, InterfaceError, OperationalError, connections, router
from django.db.models import F, QuerySet
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
)
from django.http.cookie import parse_cookie
from django.middleware.gzip import GZipMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.http import http_date, quote_etag

from portal.models import ContentVersion
from portal.routers import PRIVATE_PREFIXES, public_reads

logger = logging.getLogger(__name__)

UNCACHED_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/")
COUNT_CACHE_SECONDS = 3600
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def bump_content_version() -> None:
    """Called for every write to public content, inside its transaction."""
    # update() skips auto_now, so the time (Last-Modified) is set here.
    updated = ContentVersion.objects.filter(pk=1).update(value=F("value") + 1, changed_at=timezone.now())
    if not updated:
        # A new database counts on from the clock (microseconds), not from
        # 1: a site whose database is made again from nothing must not find
        # the old database's pages under its versions in a shared cache.
        ContentVersion.objects.get_or_create(pk=1, defaults={"value": time.time_ns() // 1000})


def current_version() -> tuple[int, float]:
    """(value, changed_at as a timestamp), read fresh on every request.

    Plain SQL: on a cache hit this is the only query, and building it with
    the ORM costs several times as much as running it."""
    connection = connections[router.db_for_read(ContentVersion)]
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    # PostgreSQL hands over the time as seconds: loading a timestamptz
    # into an aware datetime took 50 µs, a sixth of a cached page's Python.
    changed_at_sql = "changed_at" if connection.vendor == "sqlite" else "extract(epoch FROM changed_at)::float8"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value, {changed_at_sql} FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return 0, 0.0
    value, changed_at = row
    if isinstance(changed_at, float):
        return value, changed_at
    if isinstance(changed_at, str):  # SQLite, by its driver's settings
        changed_at = parse_datetime(changed_at)
    return value, changed_at.replace(tzinfo=changed_at.tzinfo or UTC).timestamp()


def request_version(request: HttpRequest) -> int:
    """The content version this request is served at: the one the page
    cache read, or (with the page cache off) read now."""
    if not hasattr(request, "content_version"):
        request.content_version = current_version()[0]
    return request.content_version


def page_cache():
    """The page cache: Redis when configured, else this process's memory.
    Every key names a content version, so invalidation needs no message to
    any process."""
    return caches[settings.PAGE_CACHE_ALIAS]


def cached_by_version(request: HttpRequest, name: str, compute: Callable[[], object]) -> object:
    """`compute()`, cached until the content version changes: for numbers
    that cost a scan of a large table, like the home page's counts."""
    return cached_many_by_version(request_version(request), {name: compute})[name]


def cached_many_by_version(version: int, computes: dict[str, Callable[[], object]]) -> dict[str, object]:
    """{name: compute()} for each name, each value cached until the content
    version changes (any write to public content bumps it); one read of the
    cache for them all."""
    keys = {name: f"value:{version}:{name}" for name in computes}
    cache = page_cache()
    found = cache.get_many(list(keys.values()))
    values = {}
    for name, compute in computes.items():
        values[name] = found.get(keys[name])
        if values[name] is None:
            values[name] = compute()
            cache.set(keys[name], values[name], COUNT_CACHE_SECONDS)
    return values


class VersionedCountPaginator(Paginator):
    """A Paginator whose COUNT(*) is cached by content version and query:
    on a long list the count is the one cost that grows with the table, and
    it only changes when the content version does."""

    def __init__(self, object_list: QuerySet, per_page: int, *, request: HttpRequest, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.request = request

    @cached_property
    def count(self) -> int:
        sql, params = self.object_list.query.get_compiler(using=self.object_list.db).as_sql()
        name = f"count:{hashlib.sha256(f'{sql}|{params!r}'.encode()).hexdigest()}"
        return cached_by_version(self.request, name, lambda: super(VersionedCountPaginator, self).count)


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(UNCACHED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.PAGE_CACHE_SECONDS > 0
    )


# The query parameters each public page reads, in the order its own links
# and forms write them (`{% querystring %}` keeps the order it finds and
# appends what is new, so `page` comes last). The API declares its own
# (api.urls). A page with any other query string is served uncached.
PAGE_QUERY_PARAMETERS = {
    "exhibits:list": ("q", "sector", "kind", "area", "organisation", "tier", "sort", "page"),
    "exhibits:filter-values": ("list", "q", "page"),
    "exhibits:label": ("layout",),
    "exhibits:area-labels": ("layout",),
    "craftsmen:index": ("page",),
    "events:list": ("page",),
    "search": ("q", "type", "page", "fragment"),
}


# Namespaces whose query parameters are declared by their own app, as a
# function from view name to parameters: the API's come from its OpenAPI
# schema (api.urls declares them), and this module imports no app above it.
_QUERY_PARAMETER_SOURCES: dict[str, Callable[[], dict[str, tuple[str, ...]]]] = {}


def declare_query_parameters(namespace: str, source: Callable[[], dict[str, tuple[str, ...]]]) -> None:
    """`source()` gives the query parameters of each view in `namespace`
    (view name → parameters in the order its links write them)."""
    _QUERY_PARAMETER_SOURCES[namespace] = source


def _query_parameters(path: str) -> tuple[str, ...]:
    try:
        name = resolve(path).view_name
    except Resolver404:
        return ()
    namespace = name.partition(":")[0]
    if namespace in _QUERY_PARAMETER_SOURCES:
        return _QUERY_PARAMETER_SOURCES[namespace]().get(name, ())
    return PAGE_QUERY_PARAMETERS.get(name, ())


def _canonical_query(request: HttpRequest) -> bool:
    """Whether the query string is one the page cache keeps: parameters the
    page reads, each at most once, none empty, in the page's order. Junk
    parameters (each a new key) filled Redis with 64,000 pages in an hour
    of probing."""
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return True
    known = _query_parameters(request.path_info)
    position = -1
    for pair in raw.split("&"):
        name, equals, value = pair.partition("=")
        name = unquote_plus(name)
        if not equals or not value or name not in known or known.index(name) <= position:
            return False
        position = known.index(name)
    return True


def canonical_query(request: HttpRequest) -> str | None:
    """The query string this list page should be asked with, or None when
    it already is: no empty parameters (a filter form's unused fields), and
    the parameters the page reads in the page's order (PAGE_QUERY_PARAMETERS).
    Parameters the page does not read keep their place after those (the
    page cache serves such an address uncached). Compared as decoded pairs,
    not as text, so another spelling of the same query is not redirected and
    the canonical address never redirects again."""
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return None
    known = PAGE_QUERY_PARAMETERS.get(request.resolver_match.view_name, ())
    # The server hands the query's bytes over as Latin-1 text; read them as
    # QueryDict does (UTF-8, else Latin-1).
    raw_bytes = raw.encode("iso-8859-1", errors="replace")
    try:
        text = raw_bytes.decode()
    except UnicodeDecodeError:
        text = raw_bytes.decode("iso-8859-1")
    pairs = parse_qsl(text, keep_blank_values=True, errors="replace")
    canonical = sorted(
        ((name, value) for name, value in pairs if value),
        key=lambda pair: known.index(pair[0]) if pair[0] in known else len(known),
    )
    if canonical == pairs and "" not in raw.split("&"):
        return None
    return urlencode(canonical)


def redirect_to_canonical_query(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A list page asked with a non-canonical query (canonical_query) answers
    with a permanent redirect to the canonical one. Permanent: the same query
    always maps to the same address, so browsers and shared caches may keep
    the redirect, and search engines index one address per list. Empty
    filters never reach the page, its cache keys or its links."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        query = canonical_query(request)
        if query is None:
            return view(request, *args, **kwargs)
        return HttpResponsePermanentRedirect(f"{request.path}?{query}" if query else request.path)

    return wrapper


def names_what_it_serves(request: HttpRequest, page=None, form=None) -> bool:
    """Whether a page's address names only what the page has: every filter
    value valid, the page number the one served. Otherwise (`?page=9999`,
    `?sector=junk`), every such address would be a cache key of its own
    holding a copy of another page."""
    if page is not None and request.GET.get("page", str(page.number)) != str(page.number):
        return False
    return form is None or not form.errors


def keep_out_of_the_cache(response: HttpResponse) -> HttpResponse:
    """Serve this response uncached (see names_what_it_serves); the page
    cache and the front cache leave it alone."""
    response.page_cache_bypass = True
    return response


def _encoding(accept_encoding: str) -> str:
    """The variant PublicGZipMiddleware (inside PageCacheMiddleware) will
    produce for this Accept-Encoding."""
    return "gzip" if ACCEPTS_GZIP.search(accept_encoding) else "identity"


def _address(request: HttpRequest) -> str:
    # The scheme and host too: pages carry their own absolute address (the
    # canonical link, og:url), and a site may answer to more than one name.
    return f"{request.scheme}://{request.get_host()}{request.get_full_path()}"


def _key(request: HttpRequest, version: int) -> str:
    digest = hashlib.sha256(_address(request).encode()).hexdigest()
    encoding = _encoding(request.headers.get("Accept-Encoding", ""))
    return f"page:{version}:{request.LANGUAGE_CODE}:{encoding}:{digest}"


def _etag(request: HttpRequest, version: int) -> str:
    encoding = _encoding(request.headers.get("Accept-Encoding", ""))
    raw = f"{version}:{request.LANGUAGE_CODE}:{encoding}:{_address(request)}"
    return quote_etag(hashlib.sha1(raw.encode()).hexdigest()[:20])


class PageCacheMiddleware:
    """Place after LocaleMiddleware (the language is part of the key) and
    before PublicGZipMiddleware (pages are cached compressed, keyed and
    tagged by encoding)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        try:
            version, changed_at = _version_read_in_front(request) or current_version()
            request.content_version = version
        except (OperationalError, InterfaceError):
            # The database is unreachable: fail now (a 503, from
            # shell.views.server_error) rather than wait for it twice.
            raise
        except DatabaseError:
            # The page itself will report the database problem.
            return self.get_response(request)
        etag = _etag(request, version)
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
            self._headers(response, etag, changed_at)
            return response
        cache = page_cache()
        key = _key(request, version)
        canonical = _canonical_query(request)
        cached = cache.get(key) if canonical else None
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            cached.page_cache_version = version
            return cached
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies:
            self._headers(response, etag, changed_at)
            if response.streaming:
                # Exports and the data zip: as deterministic per content
                # version as a page, so they get the ETag (a repeat download
                # is a 304), but are never buffered into the cache.
                response["X-Page-Cache"] = "bypass"
            elif (
                not canonical
                or getattr(response, "page_cache_bypass", False)
                or len(response.content) > settings.PAGE_CACHE_MAX_BYTES
            ):
                response["X-Page-Cache"] = "bypass"
            else:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
                response["X-Page-Cache"] = "miss"
                response.page_cache_version = version
        return response

    @staticmethod
    def _headers(response: HttpResponse, etag: str, changed_at: float) -> None:
        # A stored download brings its own (portal.download_store): the
        # tags of its bytes, which its ranges and If-Range compare with.
        response.setdefault("ETag", etag)
        if changed_at:
            response.setdefault("Last-Modified", http_date(changed_at))
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
        if isinstance(response, FileResponse):
            # Stored downloads go out byte for byte, with their length and
            # ranges; the zip and Excel files are compressed already.
            return response
        return super().process_response(request, response)


# What FrontPageCache read before Django built the request, for
# PageCacheMiddleware: the version, or the error reading it raised.
FRONT_VERSION = "portal.content_version"
FRONT_VERSION_ERROR = "portal.content_version_error"

# Everything in a request that a public page can depend on, besides the
# Accept-Encoding variant: the address (scheme, host, script prefix, path,
# query). The language is part of the path (i18n_patterns with Chinese
# unprefixed), and public pages read no other header and no cookie but the
# session's (tested in tests/shell/test_front_cache.py).
FRONT_KEY_ENVIRON = (
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
)
# Response Vary headers whose request headers the key already covers, or
# that public pages do not depend on (LocaleMiddleware adds Accept-Language
# to every Chinese page, whose language comes from its path).
FRONT_VARY_COVERED = {"accept-encoding", "accept-language"}


def _version_read_in_front(request: HttpRequest) -> tuple[int, float] | None:
    error = request.META.get(FRONT_VERSION_ERROR)
    if error is not None:
        raise error
    return request.META.get(FRONT_VERSION)


def _front_request_key(environ: dict) -> str | None:
    """The key of a request FrontPageCache may answer, or None."""
    if environ.get("REQUEST_METHOD") != "GET" or settings.PAGE_CACHE_SECONDS <= 0:
        return None
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    if path.startswith(UNCACHED_PREFIXES) or path.startswith(PRIVATE_PREFIXES):
        return None
    # Revalidations go to Django, which answers them without a page.
    if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
        return None
    cookie = environ.get("HTTP_COOKIE")
    if cookie and settings.SESSION_COOKIE_NAME in parse_cookie(cookie):
        return None
    encoding = _encoding(environ.get("HTTP_ACCEPT_ENCODING", ""))
    # Length-prefixed, so that no two requests share a key by where their
    # values happen to split.
    parts = [str(environ.get(name, "")) for name in FRONT_KEY_ENVIRON] + [encoding]
    raw = "".join(f"{len(part)}:{part}" for part in parts)
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _front_version() -> tuple[int, float]:
    """current_version() as a public request reads it, on this thread's
    connection, left open between the pages FrontPageCache answers. A
    connection that was open already and fails is replaced once: after a
    database restart it is dead, and Django would have replaced it at the
    start of its next request."""
    with public_reads():
        connection = connections[router.db_for_read(ContentVersion)]
        reused = connection.connection is not None and not connection.in_atomic_block
        try:
            return current_version()
        except (OperationalError, InterfaceError):
            if not reused:
                raise
            with contextlib.suppress(DatabaseError):
                connection.close()
            return current_version()


class FrontPageCache:
    """WSGI middleware around Django: answers a public page this process has
    already sent, at the current content version, before Django builds a
    request for it.

    What it stores is the response exactly as Django's whole middleware
    stack sent it (security headers, CSP, language, compression), and only
    what PageCacheMiddleware itself served or stored at the same version;
    every key names the content version, read fresh from the database on
    every request, so a write invalidates it as exactly as the page cache.
    A hit skips building the request, the middleware and Django's request
    signals, which are most of a PageCacheMiddleware hit's time apart from
    the version's round trip."""

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable) -> object:
        alias = settings.PAGE_FRONT_CACHE_ALIAS
        request_key = _front_request_key(environ) if alias else None
        if request_key is None:
            return self.application(environ, start_response)
        try:
            version = _front_version()
        except (OperationalError, InterfaceError) as error:
            # PageCacheMiddleware raises it (a 503) instead of waiting for
            # the database a second time.
            environ[FRONT_VERSION_ERROR] = error
            return self.application(environ, start_response)
        except DatabaseError:
            return self.application(environ, start_response)
        environ[FRONT_VERSION] = version
        store = caches[alias]
        key = f"front:{version[0]}:{request_key}"
        stored = store.get(key)
        if stored is not None:
            status, headers, body = stored
            start_response(status, headers)
            return [body]
        response = self.application(environ, start_response)
        if self._storable(response, version[0]):
            headers = [(name, "hit" if name == "X-Page-Cache" else value) for name, value in response.items()]
            store.set(
                key,
                (f"{response.status_code} {response.reason_phrase}", headers, response.content),
                settings.PAGE_CACHE_SECONDS,
            )
        return response

    @staticmethod
    def _storable(response: HttpResponse, version: int) -> bool:
        if getattr(response, "page_cache_version", None) != version:
            return False
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        vary = {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}
        return vary <= FRONT_VARY_COVERED
