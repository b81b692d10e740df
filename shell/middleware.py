"""Middleware that sets the headers every response carries, turns hostile
input into a plain 400, and methods the public site does not take into a
405, before any view or database sees them."""

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _


class PolicyHeadersMiddleware:
    """Cross-Origin-Resource-Policy and Permissions-Policy on every response.

    The outermost middleware, so static files (WhiteNoise), cached pages,
    the API and early errors (a refused Host) all get them; Django's
    SecurityMiddleware sets the others but not these two."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = {
            "Cross-Origin-Resource-Policy": settings.CROSS_ORIGIN_RESOURCE_POLICY,
            "Permissions-Policy": ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY),
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response


class RejectNulBytesMiddleware:
    """A NUL byte anywhere in the path or the query string gets a 400.

    PostgreSQL refuses NUL in text, so a NUL reaching a query would be a
    server error there and a normal page on SQLite. Nothing the portal serves
    has a NUL in its URL, so refusing them all keeps both databases alike."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_query = request.META.get("QUERY_STRING", "")
        in_path = "\x00" in request.path_info
        if not in_path and b"\x00" not in unquote_to_bytes(raw_query.replace("+", " ")):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            # API clients get the same problem body as every other 400 there.
            from api.problems import problem_response

            names = ["path"] if in_path else _parameters_with_nul(raw_query)
            message = "Contains a NUL character."
            return problem_response(
                request,
                400,
                "Invalid parameters",
                f"{', '.join(names)}: {message}",
                errors={name: [message] for name in names},
            )
        return HttpResponseBadRequest("The address contains a NUL character.", content_type="text/plain; charset=utf-8")


def _parameters_with_nul(raw_query: str) -> list[str]:
    names = []
    for pair in raw_query.split("&"):
        name, _, value = pair.partition("=")
        if b"\x00" in unquote_to_bytes((name + value).replace("+", " ")):
            decoded = unquote_to_bytes(name.replace("+", " ")).replace(b"\x00", b"").decode("utf-8", "replace")
            if decoded not in names:
                names.append(decoded)
    return names


# Where other methods than GET and HEAD are taken: the admin (its forms, its
# login and logout). Nothing else the portal serves takes a write.
METHODS_OPEN_PREFIXES = ("/admin/",)
PUBLIC_METHODS = ["GET", "HEAD"]


class PublicMethodsMiddleware:
    """Public pages and the API answer GET and HEAD only: any other method
    gets 405 with `Allow: GET, HEAD` before CSRF (which answered a POST with
    a 403) and before the page cache (so a hit and a miss answer alike).

    A HEAD is answered as the GET it stands for, without the body: the views
    take GET only (`require_GET`), and the page cache then serves, and
    fills, the same entry for both."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" or request.path_info.startswith(METHODS_OPEN_PREFIXES):
            return self.get_response(request)
        if request.method != "HEAD":
            return _not_allowed(request)
        request.method = "GET"
        response = self.get_response(request)
        request.method = "HEAD"
        if response.streaming:
            # The server's close() of the response still closes what the
            # body would have been read from.
            response.streaming_content = []
        else:
            # Content-Length, set by the stack inside, stays the GET's.
            response.content = b""
        return response


def _not_allowed(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        from api.problems import problem_response

        response = problem_response(
            request, 405, "Method not allowed", f"{request.method} is not allowed here: the API is read-only."
        )
        response["Allow"] = ", ".join(PUBLIC_METHODS)
        return response
    response = HttpResponseNotAllowed(PUBLIC_METHODS, content_type="text/plain; charset=utf-8")
    # Before LocaleMiddleware: the language is the path's.
    with translation.override(get_language_from_path(request.path_info) or settings.LANGUAGE_CODE):
        response.content = _("只接受 GET 和 HEAD 请求。").encode()
    return response
