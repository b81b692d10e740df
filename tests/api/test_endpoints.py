"""The read-only JSON API: every endpoint, its filters and search, its
pagination, its 400 and 404 problem details, and its caching."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from craftsmen.models import Tier
from portal.models import Figure
from tests import factories as make

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def get_json(client, url: str, status: int = 200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.content[:500])
    return response.json()


def _kinds():
    """Per endpoint: a factory for one public record of that kind."""
    return {
        "exhibits": lambda source: make.exhibit(source, exhibition=make.exhibition(source)),
        "people": make.person,
        "tiers": make.tier,
        "tier-counts": lambda source: make.tier_count(source, tier=make.tier(source)),
        "pilot-batches": make.pilot_batch,
        "academies": make.academy,
        "events": make.event,
        "organisations": make.organisation,
        "figures": make.figure,
        "programmes": make.programme,
        "places": make.place,
    }


KINDS = list(_kinds())


@pytest.mark.parametrize("segment", KINDS)
def test_each_list_endpoint_lists_public_records_with_their_citations_and_hides_unpublished_ones(client, segment):
    source = make.report(slug="report-api")
    shown = _kinds()[segment](source)
    hidden = _kinds()[segment](source)
    hidden.is_published = False
    hidden.save()

    body = get_json(client, f"/api/v1/{segment}/")

    assert body["count"] == 1
    assert body["next"] is None and body["previous"] is None
    [record] = body["results"]
    assert record["slug"] == shown.slug
    assert record["name"] == shown.name
    assert record["citations"] == [
        {"report": "report-api", "paragraph": 1, "excerpt": "原文摘录", "url": "/sources/report-api/#p1"}
    ]


@pytest.mark.parametrize("segment", KINDS)
def test_each_detail_endpoint_gives_the_record_and_404_for_an_unknown_or_unpublished_one(client, segment):
    source = make.report()
    shown = _kinds()[segment](source)
    hidden = _kinds()[segment](source)
    hidden.is_published = False
    hidden.save()

    assert get_json(client, f"/api/v1/{segment}/{shown.slug}/")["slug"] == shown.slug
    for slug in (hidden.slug, "no-such-record"):
        response = client.get(f"/api/v1/{segment}/{slug}/")
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
        problem = response.json()
        assert problem["status"] == 404
        assert problem["title"] and problem["type"] and slug in problem["detail"]


def test_a_figure_merged_into_another_redirects_from_its_former_slug(client):
    kept = make.figure(slug="kept", former_slugs=["merged-away"])
    make.figure(slug="other")
    response = client.get("/api/v1/figures/merged-away/")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/figures/kept/"
    assert get_json(client, response["Location"])["slug"] == kept.slug
    assert client.get("/api/v1/figures/never-was/").status_code == 404


def test_the_reports_endpoint_lists_the_sources_that_citations_name(client):
    source = make.report(slug="jiangxin", title="匠心筑北疆")
    body = get_json(client, "/api/v1/reports/")
    assert [r["slug"] for r in body["results"]] == ["jiangxin"]
    detail = get_json(client, "/api/v1/reports/jiangxin/")
    assert detail["title"] == "匠心筑北疆"
    assert detail["url"] == f"/sources/{source.slug}/"
    assert client.get("/api/v1/reports/nope/").status_code == 404


def test_a_report_gives_its_credits_as_printed(client):
    credits = [{"role": "责任编辑", "names": [{"name": "刘旭亮", "name_en": "Liu Xuliang"}]}]
    make.report(slug="credited", credits=credits)
    assert get_json(client, "/api/v1/reports/credited/")["credits"] == credits


def test_related_records_are_given_by_slug_and_unpublished_ones_are_left_out(client):
    source = make.report()
    show = make.exhibition(source)
    rung = make.tier(source)
    maker = make.person(source, tier=rung)
    ghost = make.person(source, is_published=False)
    field = make.sector(source)
    item = make.exhibit(source, exhibition=show, sectors=[field], makers=[maker, ghost], kind=make.kind(source))

    body = get_json(client, f"/api/v1/exhibits/{item.slug}/")
    assert body["exhibition"] == show.slug
    assert body["sectors"] == [field.slug]
    assert body["makers"] == [maker.slug]
    assert body["kind"] == item.kind.slug
    assert body["area"] is None
    assert body["url"] == f"/exhibits/{item.slug}/"
    assert get_json(client, f"/api/v1/people/{maker.slug}/")["tier"] == rung.slug


def test_urls_point_at_the_chinese_pages_whatever_language_the_client_asks_for(client):
    item = make.exhibit(make.report(), exhibition=make.exhibition())
    body = get_json(client, f"/api/v1/exhibits/{item.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert body["url"] == f"/exhibits/{item.slug}/"


def test_lists_are_paginated_with_next_and_previous_links(client):
    source = make.report()
    for _ in range(5):
        make.place(source)

    first = get_json(client, "/api/v1/places/?page_size=2")
    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/places/?page_size=2&page=2"
    second = get_json(client, first["next"].removeprefix("http://testserver"))
    assert second["previous"] == "http://testserver/api/v1/places/?page_size=2&page=1"
    third = get_json(client, second["next"].removeprefix("http://testserver"))
    assert third["next"] is None
    slugs = [r["slug"] for page in (first, second, third) for r in page["results"]]
    assert len(set(slugs)) == 5


@pytest.fixture
def exhibits():
    source = make.report()
    show = make.exhibition(source)
    wind, mining = make.sector(source, slug="wind"), make.sector(source, slug="mining")
    device = make.kind(source, slug="device")
    hall = make.area(source, exhibition=show, slug="hall")
    firm = make.organisation(source, slug="firm")
    rung = make.tier(source, slug="beijiang")
    a = make.exhibit(
        source,
        slug="a",
        name="风能叶片检测仪",
        order=2,
        exhibition=show,
        sectors=[wind],
        kind=device,
        area=hall,
        organisation=firm,
        makers=[make.person(source, tier=rung)],
    )
    b = make.exhibit(source, slug="b", name="矿山巡检机器人", order=1, exhibition=show, sectors=[mining])
    return a, b


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["b", "a"]),
        ("sector=wind", ["a"]),
        ("sector=mining", ["b"]),
        ("kind=device", ["a"]),
        ("area=hall", ["a"]),
        ("organisation=firm", ["a"]),
        ("tier=beijiang", ["a"]),
        ("q=叶片", ["a"]),
        ("q=巡检&sector=mining", ["b"]),
        ("q=巡检&sector=wind", []),
        ("sort=name", ["b", "a"] if "矿" < "风" else ["a", "b"]),
        ("sort=-report", ["a", "b"]),
    ],
)
def test_the_exhibit_list_takes_the_exhibit_pages_filters_and_search(client, exhibits, query, expected):
    body = get_json(client, f"/api/v1/exhibits/?{query}")
    assert [r["slug"] for r in body["results"]] == expected
    assert body["count"] == len(expected)


def test_the_api_and_the_exhibit_page_agree_on_what_a_filter_shows(client, exhibits):
    # The page redirects to its canonical order of parameters (q first).
    page = client.get("/exhibits/?sector=wind&q=检测", follow=True).content.decode()
    body = get_json(client, "/api/v1/exhibits/?sector=wind&q=检测")
    assert [r["slug"] for r in body["results"]] == ["a"]
    assert "/exhibits/a/" in page and "/exhibits/b/" not in page


def test_other_kinds_filter_by_their_choices_and_related_slugs(client):
    source = make.report()
    rung = make.tier(source, slug="rung", scope=Tier.Scope.NATIONAL)
    make.tier(source, scope=Tier.Scope.CITY)
    firm = make.organisation(source, slug="firm")
    craftsman = make.person(source, tier=rung, organisation=firm)
    make.person(source)
    make.figure(source, slug="headline", topic=Figure.Topic.ACADEMIES, is_headline=True)
    make.figure(source, slug="plain", topic=Figure.Topic.TRAINING, is_headline=False)

    assert [r["slug"] for r in get_json(client, "/api/v1/people/?tier=rung")["results"]] == [craftsman.slug]
    assert [r["slug"] for r in get_json(client, "/api/v1/people/?organisation=firm")["results"]] == [craftsman.slug]
    assert [r["slug"] for r in get_json(client, "/api/v1/tiers/?scope=national")["results"]] == ["rung"]
    assert [r["slug"] for r in get_json(client, "/api/v1/figures/?topic=academies")["results"]] == ["headline"]
    assert [r["slug"] for r in get_json(client, "/api/v1/figures/?is_headline=false")["results"]] == ["plain"]


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/v1/exhibits/?sort=price", "sort"),
        ("/api/v1/exhibits/?page=abc", "page"),
        ("/api/v1/exhibits/?page=0", "page"),
        ("/api/v1/exhibits/?page_size=101", "page_size"),
        ("/api/v1/exhibits/?q=%00", "q"),
        ("/api/v1/exhibits/?q=" + "长" * 201, "q"),
        ("/api/v1/figures/?topic=weather", "topic"),
        ("/api/v1/figures/?is_headline=perhaps", "is_headline"),
        ("/api/v1/people/?tier=Not%20a%20slug", "tier"),
        ("/api/v1/search/?type=recipe", "type"),
        ("/api/v1/search/?q=%00", "q"),
    ],
)
def test_invalid_parameters_get_400_with_a_problem_body_naming_the_parameter(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["type"] and problem["title"] == "Invalid parameters"
    assert problem["status"] == 400
    assert parameter in problem["detail"]
    assert parameter in problem["errors"]


def _slug_filters():
    """Every list filter that takes a related record's slug."""
    import django_filters

    from api.views import RESOURCES

    return [
        (resource.segment, name, spec.queryset.model.__name__)
        for resource in RESOURCES
        if resource.filterset
        for name, spec in resource.filterset.base_filters.items()
        if isinstance(spec, django_filters.ModelChoiceFilter)
    ]


# A factory for each kind of record a slug filter names.
LINKED = {
    "Tier": make.tier,
    "Organisation": make.organisation,
    "Place": make.place,
    "Event": make.event,
    "AcademyType": make.academy_type,
    "AcademyGroup": make.academy_group,
    "Sector": make.sector,
    "ExhibitKind": make.kind,
    "ExhibitionArea": lambda source, **fields: make.area(source, exhibition=make.exhibition(source), **fields),
}


def test_every_slug_filter_is_covered():
    assert len(_slug_filters()) == 21


@pytest.mark.parametrize("segment, name, model", _slug_filters())
def test_a_slug_filter_that_names_no_public_record_gives_an_empty_list(client, segment, name, model):
    """The schema allows any well-formed slug, so one that matches nothing
    is an empty result, not a 400 (there is no such record, or it is not
    published)."""
    source = make.report()
    _kinds()[segment](source)
    unpublished = LINKED[model](source, is_published=False)
    for slug in ["no-such-record", unpublished.slug]:
        body = get_json(client, f"/api/v1/{segment}/?{name}={slug}")
        assert body == {"count": 0, "next": None, "previous": None, "results": []}
    assert get_json(client, f"/api/v1/{segment}/")["count"] == 1


def test_an_unknown_slug_beside_an_invalid_parameter_still_gets_400_for_that_parameter(client):
    response = client.get("/api/v1/exhibits/?sector=no-such-sector&sort=price")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == ["sort"]


def test_a_malformed_slug_in_a_filter_still_gets_400(client):
    response = client.get("/api/v1/exhibits/?sector=not%20a%20slug")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["sector"]


def test_a_page_past_the_last_gets_404_and_an_empty_first_page_is_fine(client):
    assert get_json(client, "/api/v1/places/") == {"count": 0, "next": None, "previous": None, "results": []}
    response = client.get("/api/v1/places/?page=2")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 404


def test_search_finds_every_kind_and_narrows_to_one(client):
    source = make.report()
    make.exhibit(source, name="稀土永磁电机", exhibition=make.exhibition(source))
    make.organisation(source, name="包头稀土研究院")

    body = get_json(client, "/api/v1/search/?q=稀土")
    assert body["count"] == 2
    assert {r["kind"] for r in body["results"]} == {"exhibit", "organisation"}
    narrowed = get_json(client, "/api/v1/search/?q=稀土&type=organisation")
    assert [r["title"] for r in narrowed["results"]] == ["包头稀土研究院"]
    assert narrowed["results"][0]["url"].startswith("/organisations/")
    assert get_json(client, "/api/v1/search/")["count"] == 0


def test_the_index_lists_the_versions_endpoints_schema_and_docs(client):
    body = get_json(client, "/api/")
    v1 = body["versions"]["v1"]
    assert v1["schema"] == "/api/v1/openapi.json"
    assert v1["docs"] == "/api/v1/docs/"
    assert set(v1["endpoints"]) == {*KINDS, "reports", "search"}
    assert get_json(client, "/api/v1/") == v1


def test_the_openapi_schema_documents_every_endpoint_its_parameters_and_problem_responses(client):
    schema = get_json(client, "/api/v1/openapi.json")
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for segment in [*KINDS, "reports"]:
        assert f"/api/v1/{segment}/" in paths
        assert f"/api/v1/{segment}/{{slug}}/" in paths
    exhibit_list = paths["/api/v1/exhibits/"]["get"]
    assert {p["name"] for p in exhibit_list["parameters"]} == {
        "q",
        "sector",
        "kind",
        "area",
        "organisation",
        "tier",
        "sort",
        "page",
        "page_size",
    }
    assert set(exhibit_list["responses"]["400"]["content"]) == {PROBLEM}
    assert "9457" in schema["info"]["description"] and "414" in schema["info"]["description"]
    citation = schema["components"]["schemas"]["CitationOut"]["properties"]
    assert set(citation) == {"report", "paragraph", "excerpt", "url"}


def test_the_docs_page_loads_only_the_portals_own_files_and_runs_no_inline_script(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "://" not in re.sub(r'"url": "[^"]*"', "", html.split("swagger-settings")[0])
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources == ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"]
    # The only <script> without src is a JSON data block, which a
    # Content-Security-Policy of script-src 'self' does not block.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']
    settings = json.loads(html.split('id="swagger-settings">')[1].split("</script>")[0])
    assert settings["url"] == "/api/v1/openapi.json"
    for path in sources:
        assert finders.find(path.removeprefix("/static/")), path


def test_responses_set_no_cookie_and_carry_the_pages_cache_headers(client):
    make.place(make.report())
    response = client.get("/api/v1/places/")
    assert not response.cookies
    assert response["ETag"]
    assert response["Cache-Control"].startswith("public, max-age=")
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_a_repeat_request_gets_304_and_a_write_changes_the_etag(client):
    source = make.report()
    spot = make.place(source)
    url = f"/api/v1/places/{spot.slug}/"
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    spot.name = "包头市（改）"
    spot.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert after.json()["name"] == "包头市（改）"


def test_chinese_text_is_sent_as_utf8_not_escaped(client):
    make.place(make.report(), name="呼和浩特市")
    assert "呼和浩特市" in client.get("/api/v1/places/").content.decode()


@pytest.mark.parametrize("path", ["/api/v2/", "/api/v1/recipes/", "/api/v1/exhibits/a/b/"])
def test_an_unknown_api_path_gets_a_404_problem_not_the_html_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 404


def test_a_path_without_its_trailing_slash_is_still_redirected(client):
    response = client.get("/api/v1/exhibits?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/exhibits/?page=2"


COMMON_FIELDS = [
    "slug",
    "name",
    "name_en",
    "description",
    "description_en",
    "inferred_note",
    "inferred_note_en",
    "url",
    "citations",
]
STABLE_FIELDS = {
    "ExhibitOut": [
        *COMMON_FIELDS,
        "exhibition",
        "area",
        "kind",
        "organisation",
        "sectors",
        "makers",
        "makers_as_written",
        "makers_as_written_en",
        "problem",
        "problem_en",
        "how_it_works",
        "how_it_works_en",
    ],
    "PersonOut": [*COMMON_FIELDS, "title", "title_en", "organisation", "tier", "tier_basis"],
    "TierOut": [*COMMON_FIELDS, "scope", "rank", "is_trainee", "ladder_role", "ladder_role_en", "region"],
    "TierCountOut": [*COMMON_FIELDS, "tier", "place", "event", "count", "unit", "phrase"],
    "PilotBatchOut": [*COMMON_FIELDS, "number", "categories"],
    "AcademyOut": [
        *COMMON_FIELDS,
        "academy_type",
        "groups",
        "organisation",
        "recognition",
        "recognition_en",
        "recognised_by",
    ],
    "EventOut": [
        *COMMON_FIELDS,
        "kind",
        "parent",
        "date_as_written",
        "date_as_written_en",
        "start_date",
        "end_date",
        "date_is_inferred",
        "place",
        "theme",
        "theme_en",
        "hosts",
    ],
    "OrganisationOut": [*COMMON_FIELDS, "kind", "short_names", "parent", "place"],
    "FigureOut": [
        *COMMON_FIELDS,
        "topic",
        "value",
        "value_max",
        "unit",
        "precision",
        "phrase",
        "is_headline",
        "event",
        "organisation",
        "printed",
        "unit_en",
    ],
    "ProgrammeOut": [*COMMON_FIELDS, "kind", "organisations"],
    "PlaceOut": [*COMMON_FIELDS, "kind", "parent"],
    "CitationOut": ["report", "paragraph", "excerpt", "url"],
    "Problem": ["type", "title", "status", "detail", "errors"],
}


def test_field_names_are_stable(client):
    """Renaming or dropping a field breaks re-users: it takes a new API
    version, not an edit here."""
    components = get_json(client, "/api/v1/openapi.json")["components"]["schemas"]
    for name, fields in STABLE_FIELDS.items():
        assert list(components[name]["properties"]) == fields, name


def test_every_operation_documents_the_servers_414_and_its_limit_is_gunicorns(client):
    from api.views import MAX_REQUEST_LINE
    from shell import gunicorn_conf

    assert gunicorn_conf.limit_request_line == MAX_REQUEST_LINE == 4094
    paths = get_json(client, "/api/v1/openapi.json")["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            too_long = operation["responses"]["414"]
            assert "4,094 bytes" in too_long["description"], (method, path)
            # gunicorn's own HTML page, so no content type is promised.
            assert "content" not in too_long


def test_the_search_text_may_not_contain_nul_and_the_schema_says_so(client):
    parameters = get_json(client, "/api/v1/openapi.json")["paths"]["/api/v1/search/"]["get"]["parameters"]
    [q] = [parameter for parameter in parameters if parameter["name"] == "q"]
    assert q["schema"]["pattern"] == "^[^\\x00]*$"
