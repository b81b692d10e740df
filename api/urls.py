import contextlib
import functools
import re

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, path, re_path, resolve
from django.views.decorators.http import require_GET

from api.problems import problem_response
from api.views import api, api_index, api_v1_index
from portal.caching import declare_query_parameters


def api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other path under /api/: a problem body like every API error
    (the portal's HTML 404 page would be no use to an API client). Keeps
    APPEND_SLASH's redirect, which this catch-all would otherwise defeat."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "api-not-found":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return problem_response(request, 404, "Not found", f"There is no API endpoint at {request.path}.")


urlpatterns = [
    path("", require_GET(api_index), name="api-index"),
    path("v1/", require_GET(api_v1_index), name="api-v1-index"),
    path("v1/", api.urls),
    re_path(r"^(?P<rest>.*)$", api_not_found, name="api-not-found"),
]


@functools.cache
def query_parameters() -> dict[str, tuple[str, ...]]:
    """Each endpoint's query parameters, from the OpenAPI schema in its
    order but for `page`, last: the next and previous links set `page` where
    they find it, or append it. The page cache keeps only these."""
    prefix = "/api/v1/"
    parameters = {}
    schema = api.get_openapi_schema(path_prefix=prefix)
    for path_template, operations in schema["paths"].items():
        names = [
            parameter["name"]
            for parameter in operations.get("get", {}).get("parameters", [])
            if parameter["in"] == "query"
        ]
        names.sort(key=lambda name: name == "page")  # stable: only moves page
        with contextlib.suppress(Resolver404):
            parameters[resolve(re.sub(r"\{[^}]+\}", "x", path_template)).view_name] = tuple(names)
    return parameters


declare_query_parameters("api-v1", query_parameters)
