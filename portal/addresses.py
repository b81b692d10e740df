"""Where the portal's own links point: absolute addresses on the configured
site URL, and this page in the other language.

Both are built from what the portal decides, never copied from the request:
the Host header (its port included) and the raw path are the client's to
choose."""

import re

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.translation import override

# Every language prefix i18n_patterns adds (the default language has none).
_LANGUAGE_PREFIX = re.compile(r"^/(?:{})(?=/|$)".format("|".join(re.escape(code) for code, _ in settings.LANGUAGES)))


def site_origin(request: HttpRequest) -> str:
    """scheme://host[:port] of the site, without a trailing slash: SITE_URL
    when it is set (production requires it), else what the request says
    (development, tests)."""
    if settings.SITE_URL:
        return settings.SITE_URL
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(request: HttpRequest, path: str) -> str:
    """The absolute address of a path on this site. Every absolute link the
    portal writes (canonical and og:url, JSON-LD, the sitemap, robots.txt,
    API page links, download rows, label QR codes) comes from here."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"not a path on this site: {path!r}")
    return site_origin(request) + path


def page_url(request: HttpRequest) -> str:
    """This page's absolute address, for its canonical link and og:url (on
    a 404 the path can be anything: it is made safe first)."""
    query = request.META.get("QUERY_STRING", "")
    return absolute_url(request, safe_path(request.path) + (f"?{iri_to_uri(query)}" if query else ""))


def safe_path(path: str) -> str:
    """A path that can only ever point at this site: backslashes (which
    browsers read as slashes) become slashes, runs of slashes collapse to
    one, and everything is percent-encoded, so no `//host`, `/\\host` or
    `/%2F%2Fhost` survives as a scheme-relative address."""
    return escape_uri_path(re.sub(r"/+", "/", "/" + path.replace("\\", "/")))


def other_language_path(request: HttpRequest, language: str) -> str:
    """This page's path in `language`, with its query string.

    A page that resolved is reversed from its URL name in that language. A
    path that did not resolve (a 404) keeps its own path, made safe, with
    the language prefix swapped: the same 404 in the other language."""
    match = getattr(request, "resolver_match", None)
    with override(language):
        path = None
        if match is not None and match.url_name:
            name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
            try:
                path = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                path = None
        if path is None:
            candidate = _LANGUAGE_PREFIX.sub("", safe_path(request.path_info)) or "/"
            prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
            path = safe_path(get_script_prefix() + prefix + candidate)
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{iri_to_uri(query)}" if query else path
