"""Every error under /api/ is a problem body (RFC 9457), whichever layer
gives it: the API's own handlers already do; this turns the rest (Django's
400 for a request it cannot read, 403, a 405 from a view or another
middleware, the 500 and 503 pages) into the same shape, keeping the
status and headers such as Allow and Retry-After."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse

from api.problems import PROBLEM_CONTENT_TYPE, problem_response

API_PREFIX = "/api/"
# Headers that describe the body being replaced, not the answer.
BODY_HEADERS = {"content-type", "content-length", "content-encoding"}


def _detail(request: HttpRequest, response: HttpResponse) -> str:
    status = response.status_code
    if status == 405:
        allowed = response.get("Allow", "GET")
        return f"The API is read-only: {request.method} is not allowed here (allowed: {allowed})."
    if status == 404:
        return f"There is nothing at {request.path}."
    if status == 400:
        return "The request could not be read."
    if status == 503:
        return "The service is briefly unavailable; try again shortly."
    if status >= 500:
        return "The server could not answer this request."
    return response.reason_phrase


class ProblemResponsesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            # Read here, so the answer does not depend on which layer
            # first touches the query string (the API's parameter parsing
            # would otherwise turn this into a 500 with DEBUG on).
            request.GET  # noqa: B018
        except TooManyFieldsSent:
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            return problem_response(
                request, 400, "Invalid parameters", f"The request has more than {limit:,} parameters."
            )
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return response
        if settings.DEBUG and response.status_code >= 500:
            return response  # Django's debug page is more use to a developer.
        return _as_problem(request, response)


def _as_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    problem = problem_response(request, response.status_code, response.reason_phrase, _detail(request, response))
    for header, value in response.items():
        if header.lower() not in BODY_HEADERS:
            problem[header] = value
    problem.cookies = response.cookies
    return problem
