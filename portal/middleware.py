"""Middleware that turns hostile input into a plain 400 before any view or
database sees it."""

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class RejectNulBytesMiddleware:
    """A NUL byte anywhere in the path or the query string gets a 400.

    PostgreSQL refuses NUL in text, so a NUL reaching a query would be a
    server error there and a normal page on SQLite. Nothing the portal serves
    has a NUL in its URL, so refusing them all keeps both databases alike."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or b"\x00" in unquote_to_bytes(raw_query.replace("+", " ")):
            return HttpResponseBadRequest(
                "The address contains a NUL character.", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
