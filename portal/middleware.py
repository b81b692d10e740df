"""Middleware that sets the headers every response carries, and turns
hostile input into a plain 400 before any view or database sees it."""

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


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
