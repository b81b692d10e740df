"""RFC 9457 problem details: every error the API gives is a JSON object
with type, title, status and detail, served as application/problem+json."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Schema

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None


class ProblemError(Exception):
    """Raised by an endpoint; turned into a problem response."""

    def __init__(self, status: int, title: str, detail: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors


TYPES = {
    400: "https://www.rfc-editor.org/rfc/rfc9110#status.400",
    404: "https://www.rfc-editor.org/rfc/rfc9110#status.404",
    405: "https://www.rfc-editor.org/rfc/rfc9110#status.405",
}


def problem_response(
    request: HttpRequest, status: int, title: str, detail: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    body = {"type": TYPES.get(status, "about:blank"), "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
