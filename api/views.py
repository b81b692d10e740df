"""The read-only JSON API, version 1, built with django-ninja.

Every public record kind gets a list endpoint (the same filters and search
as the pages, paginated, with next/previous links) and a detail endpoint
by slug. Invalid parameters give 400 and unknown records 404, both as RFC
9457 problem details (api.middleware makes every other error one too); a
filter on a slug that names no public record gives an empty list. Responses go through the page cache like the pages
(portal.caching): ETag and 304 keyed by the content version, no cookies."""

from typing import Annotated, Literal

import django_filters
from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from ninja import NinjaAPI, Path, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer
from pydantic import Field, create_model

from api import schemas as out
from api.problems import PROBLEM_CONTENT_TYPE, Problem, ProblemError, problem_response
from portal.addresses import absolute_url
from portal.resources import Resource, all_resources
from portal.text import MAX_QUERY_LENGTH
from search.kinds import KINDS
from search.query import matching, parse

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
# gunicorn's limit_request_line (shell/gunicorn_conf.py): the longest
# request line, in bytes, the server reads before answering 414 itself.
MAX_REQUEST_LINE = 4094
URI_TOO_LONG = {
    "description": (
        f"The request line (method, path and query string) is longer than {MAX_REQUEST_LINE:,} bytes. "
        "The server in front of the application (gunicorn) answers this itself, with a short HTML page, "
        "not a problem body."
    )
}


class PortalAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Error responses are served as application/problem+json: say so
        in the schema, so clients (and schemathesis) expect it. Every
        operation can also get the server's 414."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, response in responses.items():
                    if str(status).startswith("4") and "application/json" in response.get("content", {}):
                        response["content"] = {PROBLEM_CONTENT_TYPE: response["content"]["application/json"]}
                responses["414"] = URI_TOO_LONG
        return schema


class ReadableJSONRenderer(JSONRenderer):
    # Chinese text as UTF-8, not \u escapes.
    json_dumps_params = {"ensure_ascii": False}


api = PortalAPI(
    renderer=ReadableJSONRenderer(),
    title="Northern Frontier Craftsmen API",
    version="1",
    description=(
        "Read-only access to every public record of the portal, each with its citations (report slug, "
        "paragraph, verbatim excerpt). Lists take the same filters and search (`q`) as the portal's pages "
        "and are paginated (`page`, `page_size`). Every error is an RFC 9457 problem detail "
        "(`application/problem+json`), except 414 for a request line over "
        f"{MAX_REQUEST_LINE:,} bytes, which the server in front answers itself. A filter on a slug that "
        "names no public record matches nothing: the list is empty."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs/",
)


@api.exception_handler(ProblemError)
def _problem(request: HttpRequest, exc: ProblemError) -> HttpResponse:
    return problem_response(request, exc.status, exc.title, exc.detail, exc.errors)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        name = str(error.get("loc", ["", "?"])[-1])
        errors.setdefault(name, []).append(str(error.get("msg", "invalid")))
    return problem_response(
        request, 400, "Invalid parameters", "One or more parameters are not valid: " + ", ".join(errors), errors
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, 404, "Not found", "There is no such record.")


# No NUL, said in the schema (PostgreSQL refuses NUL in text; see
# shell.middleware.RejectNulBytesMiddleware, which answers such a request).
SearchText = Annotated[str, Field(max_length=MAX_QUERY_LENGTH, pattern=r"^[^\x00]*$")]
SlugText = Annotated[str, Field(max_length=120, pattern=SLUG_PATTERN)]
ERRORS = {400: Problem, 404: Problem}


def _params_schema(name: str, filterset_class) -> type[Schema]:
    """The list endpoint's query parameters, derived from its FilterSet so
    the documented parameters are exactly the filters applied."""
    fields: dict = {}
    for key, spec in (filterset_class.base_filters if filterset_class else {}).items():
        if key == "q":
            kind = SearchText
            help_text = "Search, as on the portal's search page (Chinese, pinyin, English)."
        elif isinstance(spec, django_filters.OrderingFilter):
            kind = Literal[tuple(value for value, _ in spec.extra["choices"])]
            help_text = "Order of the results (a leading - reverses it)."
        elif isinstance(spec, django_filters.ChoiceFilter) and not isinstance(spec, django_filters.ModelChoiceFilter):
            kind = Literal[tuple(value for value, _ in spec.extra["choices"] if value)]
            help_text = f"Only records of this {key}."
        elif isinstance(spec, django_filters.BooleanFilter):
            kind = bool
            help_text = f"Only records whose {key} is this."
        else:
            kind = SlugText
            help_text = f"Only records linked to the {key} with this slug."
        # Left out means "no filter"; the schema offers no null.
        fields[key] = (kind, Field(None, description=help_text))
    fields["page"] = (int, Field(1, ge=1, le=1_000_000, description="Page number, from 1."))
    fields["page_size"] = (int, Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Results per page."))
    return create_model(name, __base__=Schema, **fields)


def _page_schema(name: str, item: type[Schema]) -> type[Schema]:
    return create_model(
        name,
        __base__=Schema,
        count=(int, Field(description="Results on all pages.")),
        next=(str | None, Field(description="The next page's URL, or null.")),
        previous=(str | None, Field(description="The previous page's URL, or null.")),
        results=(list[item], ...),
    )


def _filter_data(params: Schema) -> dict[str, str]:
    data = {}
    for key, value in params.model_dump(exclude_none=True).items():
        if key in ("page", "page_size"):
            continue
        data[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return data


def paginate(request: HttpRequest, queryset, page_number: int, page_size: int) -> dict:
    paginator = Paginator(queryset, page_size)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        raise ProblemError(
            404, "Not found", f"Page {page_number} is past the last page ({paginator.num_pages})."
        ) from None

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return absolute_url(request, f"{request.path}?{query.urlencode()}")

    return {
        "count": paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": list(page.object_list),
    }


# Every kind's resource, declared by the app that owns it (in its `facets`
# module), in its declared position.
RESOURCES = all_resources()


def _list_results(request: HttpRequest, resource: Resource, params: Schema) -> dict:
    queryset = resource.queryset()
    if resource.filterset is not None:
        filterset = resource.filterset(_filter_data(params), queryset=queryset)
        if filterset.is_valid():
            queryset = filterset.qs
            if filterset.form.cleaned_data.get("sort"):
                # The chosen order, then the slug, so pages never overlap.
                queryset = queryset.order_by(*queryset.query.order_by, "slug")
        else:
            _raise_unless_only_unknown_slugs(filterset)
            queryset = queryset.none()
    return paginate(request, queryset, params.page, params.page_size)


def _raise_unless_only_unknown_slugs(filterset: django_filters.FilterSet) -> None:
    """A well-formed slug that names no public record is not an error: the
    filter matches nothing, so the list is empty (as in Datasette and most
    APIs; the schema cannot list every slug, so a 400 would break its
    contract). The page's form says "not a valid choice" for it, which is
    the only error let through here."""
    unknown_slugs = {
        name
        for name, messages in filterset.form.errors.as_data().items()
        if isinstance(filterset.filters.get(name), django_filters.ModelChoiceFilter)
        and all(message.code == "invalid_choice" for message in messages)
    }
    errors = {
        key: [str(message) for message in messages]
        for key, messages in filterset.errors.items()
        if key not in unknown_slugs
    }
    if errors:
        raise ProblemError(400, "Invalid parameters", "One or more filters are not valid: " + ", ".join(errors), errors)


def _merged_into(resource: Resource, slug: str) -> str | None:
    """The slug of the record a former duplicate was merged into (a kind
    whose model keeps former_slugs, as Figure does), or None."""
    queryset = resource.queryset()
    if not any(f.name == "former_slugs" for f in queryset.model._meta.get_fields()):
        return None
    for current, former in queryset.exclude(former_slugs=[]).values_list("slug", "former_slugs"):
        if slug in former:
            return current
    return None


def _register(router: Router, resource: Resource) -> None:
    params_schema = _params_schema(f"{resource.schema.__name__.removesuffix('Out')}Params", resource.filterset)
    page_schema = _page_schema(f"{resource.schema.__name__.removesuffix('Out')}Page", resource.schema)
    plural = resource.segment.replace("-", " ")

    def list_view(request: HttpRequest, params: Query[params_schema]):
        return _list_results(request, resource, params)

    def detail_view(request: HttpRequest, slug: Path[SlugText]):
        record = resource.queryset().filter(slug=slug).first()
        if record is None and (merged_into := _merged_into(resource, slug)):
            return HttpResponsePermanentRedirect(request.path.replace(f"/{slug}/", f"/{merged_into}/"))
        if record is None:
            raise ProblemError(404, "Not found", f"There is no public {resource.singular} with the slug {slug!r}.")
        return record

    router.get(
        f"/{resource.segment}/",
        response={200: page_schema, **ERRORS},
        operation_id=f"list_{resource.segment.replace('-', '_')}",
        summary=f"List {plural}",
        tags=[resource.segment],
        url_name=f"{resource.segment}-list",
    )(list_view)
    router.get(
        f"/{resource.segment}/{{slug}}/",
        response={200: resource.schema, **ERRORS},
        operation_id=f"get_{resource.singular}",
        summary=f"One {resource.singular.replace('_', ' ')} by slug",
        tags=[resource.segment],
        url_name=f"{resource.segment}-detail",
    )(detail_view)


router = Router()
for _resource in RESOURCES:
    _register(router, _resource)


SearchKind = Literal[tuple(kind.key for kind in KINDS)]


class SearchParams(Schema):
    q: SearchText = Field("", description="The words to search for, as on the portal's search page.")
    type: SearchKind = Field(None, description="Only results of this kind.")
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Results per page.")


SearchPage = _page_schema("SearchPage", out.SearchHitOut)


@router.get(
    "/search/",
    response={200: SearchPage, **ERRORS},
    operation_id="search",
    summary="Search every public record",
    tags=["search"],
    url_name="search",
)
def search_view(request: HttpRequest, params: Query[SearchParams]):
    results = matching(parse(params.q))
    if params.type:
        results = results.filter(kind=params.type)
    return paginate(request, results, params.page, params.page_size)


api.add_router("", router)


def _v1_index() -> dict:
    from django.urls import reverse

    endpoints = {resource.segment: reverse(f"api-v1:{resource.segment}-list") for resource in RESOURCES}
    if not settings.STATIC_SITE_BUILD:
        # The static site (publish/) cannot search on a server; its search
        # page searches in the browser instead.
        endpoints["search"] = reverse("api-v1:search")
    return {
        "schema": reverse("api-v1:openapi-json"),
        "docs": reverse("api-v1:openapi-view"),
        "endpoints": endpoints,
    }


def api_index(request: HttpRequest) -> HttpResponse:
    """/api/: the versions there are, and where each one's schema and docs are."""
    from django.http import JsonResponse

    return JsonResponse({"versions": {"v1": _v1_index()}}, json_dumps_params={"ensure_ascii": False})


def api_v1_index(request: HttpRequest) -> HttpResponse:
    """/api/v1/: this version's endpoints, schema and docs."""
    from django.http import JsonResponse

    return JsonResponse(_v1_index(), json_dumps_params={"ensure_ascii": False})
