"""Whole-page caching: hits, exact invalidation on write, conditional GET,
no per-request state on public pages, and a cache outage that changes
nothing but speed."""

import gzip

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as make

pytestmark = pytest.mark.django_db


def test_a_second_request_is_served_from_the_cache_with_one_query(client, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    assert client.get(url)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert len(queries) == 1  # the content version


def test_a_write_invalidates_every_cached_page_at_once(client, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    client.get(url)
    client.get("/exhibits/")
    exhibit.name = "风能叶片检测仪（改进型）"
    exhibit.save()

    detail = client.get(url)
    listing = client.get("/exhibits/")
    assert detail["X-Page-Cache"] == "miss"
    assert "（改进型）" in detail.content.decode()
    assert "（改进型）" in listing.content.decode()


def test_a_citation_change_invalidates_too(client, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    client.get(url)
    make.cite(exhibit, excerpt="新的摘录")
    assert "新的摘录" in client.get(url).content.decode()


def test_a_database_made_again_from_nothing_does_not_reuse_the_old_ones_versions(client, exhibit):
    from portal.caching import current_version
    from portal.models import ContentVersion

    url = f"/exhibits/{exhibit.slug}/"
    client.get(url)
    old_version = current_version()[0]
    # The first write to an empty database, as after a rebuild.
    ContentVersion.objects.all().delete()
    exhibit.name = "风能叶片检测仪（改进型）"
    exhibit.save()

    assert current_version()[0] > old_version
    detail = client.get(url)
    assert detail["X-Page-Cache"] == "miss"
    assert "（改进型）" in detail.content.decode()


def test_languages_are_cached_apart(client, exhibit):
    client.get(f"/exhibits/{exhibit.slug}/")
    assert client.get(f"/en/exhibits/{exhibit.slug}/")["X-Page-Cache"] == "miss"


def test_a_repeat_visit_gets_304_not_modified(client, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    first = client.get(url)
    assert first["ETag"]
    assert first["Last-Modified"]
    repeat = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert repeat.status_code == 304
    exhibit.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_last_modified_is_the_time_of_the_last_write(client, exhibit):
    from django.utils.http import http_date

    from portal.caching import current_version
    from portal.models import ContentVersion

    exhibit.save()
    changed_at = ContentVersion.objects.get(pk=1).changed_at
    assert current_version()[1] == pytest.approx(changed_at.timestamp(), abs=1e-6)
    assert client.get(f"/exhibits/{exhibit.slug}/")["Last-Modified"] == http_date(changed_at.timestamp())


def test_public_pages_are_publicly_cacheable_and_set_no_cookie(client, exhibit):
    for url in ["/", "/exhibits/", f"/exhibits/{exhibit.slug}/", "/search/?q=风能", "/en/craftsmen/"]:
        response = client.get(url)
        assert response.cookies == {}, url
        assert "public" in response["Cache-Control"]
        assert "stale-while-revalidate" in response["Cache-Control"]
        assert "Accept-Encoding" in response["Vary"]


def test_html_is_compressed_for_clients_that_accept_it(client, exhibit):
    response = client.get("/exhibits/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


def test_the_admin_is_never_cached_nor_compressed(admin_client):
    response = admin_client.get("/admin/", HTTP_ACCEPT_ENCODING="gzip")
    assert "X-Page-Cache" not in response
    assert "Content-Encoding" not in response


def test_with_redis_unreachable_the_site_serves_uncached(client, exhibit, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.1, "SOCKET_TIMEOUT": 0.1, "IGNORE_EXCEPTIONS": True},
        }
    }
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True  # Django rebuilds its caches on this settings change

    for _ in range(2):
        response = client.get(f"/exhibits/{exhibit.slug}/")
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"  # a working cache would answer "hit" the second time


def test_with_redis_unreachable_pages_are_still_served_and_exact_after_a_write(client, exhibit, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.1, "SOCKET_TIMEOUT": 0.1, "IGNORE_EXCEPTIONS": True},
        }
    }
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    url = f"/exhibits/{exhibit.slug}/"
    first, second = client.get(url), client.get(url)
    assert (first.status_code, first["X-Page-Cache"]) == (200, "miss")
    assert (second.status_code, second["X-Page-Cache"]) == (200, "miss")  # nothing cached: rendered again
    exhibit.name = "风能叶片检测仪（改进型）"
    exhibit.save()
    detail = client.get(url)
    assert (detail.status_code, detail["X-Page-Cache"]) == (200, "miss")
    assert "（改进型）" in detail.content.decode()


def test_the_list_count_is_cached_by_content_version_even_with_the_page_cache_off(client, exhibit, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert 'data-result-count="1"' in client.get("/exhibits/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/exhibits/")
    assert 'data-result-count="1"' in response.content.decode()
    assert not [query for query in queries if "COUNT(*)" in query["sql"]]

    make.exhibit(make.report(), exhibition=exhibit.exhibition)

    assert 'data-result-count="2"' in client.get("/exhibits/").content.decode()


def test_filtered_lists_are_counted_apart(client, exhibit):
    other = make.exhibit(make.report(), exhibition=exhibit.exhibition, kind=make.kind())
    assert 'data-result-count="2"' in client.get("/exhibits/").content.decode()
    assert 'data-result-count="1"' in client.get(f"/exhibits/?kind={other.kind.slug}").content.decode()


def test_pages_are_cached_compressed_and_apart_from_the_uncompressed_variant(client, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    compressed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    plain = client.get(url)
    assert (compressed["X-Page-Cache"], plain["X-Page-Cache"]) == ("miss", "miss")
    assert compressed["ETag"] != plain["ETag"]

    hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert (hit["X-Page-Cache"], hit["Content-Encoding"]) == ("hit", "gzip")
    assert gzip.decompress(hit.content).decode() == plain.content.decode()
    plain_hit = client.get(url)
    assert plain_hit["X-Page-Cache"] == "hit"
    assert "Content-Encoding" not in plain_hit
    assert client.get(url, HTTP_IF_NONE_MATCH=compressed["ETag"], HTTP_ACCEPT_ENCODING="gzip").status_code == 304


def test_the_home_pages_counts_are_cached_by_content_version(client, exhibit, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [query for query in queries if "COUNT(*)" in query["sql"]]

    make.exhibit(make.report(), exhibition=exhibit.exhibition)

    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert [query for query in queries if "COUNT(*)" in query["sql"]]


def test_a_cached_page_is_not_sent_to_a_host_that_is_not_allowed(client, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400


def test_each_allowed_host_gets_the_page_with_its_own_address(client, settings, exhibit):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    url = f"/exhibits/{exhibit.slug}/"
    client.get(url)
    other = client.get(url, HTTP_HOST="other.example")
    assert f'href="http://other.example{url}"' in other.content.decode()


def page_keys() -> list[str]:
    return [key for key in caches["default"]._cache if ":page:" in key]


@pytest.mark.parametrize(
    "query",
    [
        "utm_source=probe",  # a parameter the page does not read
        "q=风能&x9f3=1",
        "q=风能&q=叶片",  # twice
    ],
)
def test_a_query_string_that_is_not_canonical_is_served_but_never_cached(client, exhibit, query):
    for _ in range(2):
        response = client.get(f"/exhibits/?{query}")
        assert (response.status_code, response["X-Page-Cache"]) == (200, "bypass")
    assert client.get(f"/exhibits/{exhibit.slug}/?{query}")["X-Page-Cache"] == "bypass"
    assert page_keys() == []


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("q=", "/exhibits/"),  # empty
        ("sector", "/exhibits/"),  # no value at all
        ("q=风能&sector=&kind=&sort=", "/exhibits/?q=%E9%A3%8E%E8%83%BD"),  # a filter form's unused fields
        ("page=1&q=风能", "/exhibits/?q=%E9%A3%8E%E8%83%BD&page=1"),  # out of the page's order
        ("q=风能&&page=1", "/exhibits/?q=%E9%A3%8E%E8%83%BD&page=1"),
    ],
)
def test_a_list_asked_with_empty_or_misordered_parameters_redirects_to_its_canonical_address(
    client, exhibit, query, canonical
):
    response = client.get(f"/exhibits/?{query}")

    assert (response.status_code, response["Location"]) == (301, canonical)
    assert page_keys() == []
    assert client.get(canonical)["X-Page-Cache"] == "miss"
    assert client.get(canonical)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("path", ["/craftsmen/", "/events/", "/en/exhibits/"])
def test_every_list_with_parameters_drops_the_empty_ones(client, path):
    response = client.get(f"{path}?page=")

    assert (response.status_code, response["Location"]) == (301, path)


def test_a_canonical_query_is_not_redirected_however_it_is_spelled(client, exhibit):
    assert client.get("/exhibits/?q=%E9%A3%8E%E8%83%BD&page=1").status_code == 200
    assert client.get("/exhibits/?q=风+能").status_code == 200
    assert client.get("/exhibits/?q=风%20能").status_code == 200


def test_random_junk_parameters_add_no_cache_entries(client, exhibit):
    client.get("/exhibits/")
    before = page_keys()
    for number in range(20):
        client.get(f"/exhibits/?junk{number}={number}")
        client.get(f"/api/v1/exhibits/?junk{number}={number}")
    assert page_keys() == before


@pytest.mark.parametrize(
    "url",
    [
        "/exhibits/?q=风能&page=1",
        "/en/exhibits/?q=wind&sort=name",
        "/search/?q=风能&type=exhibits",
        "/api/v1/exhibits/?q=风能&page_size=5&page=1",
        "/api/v1/search/?q=风能",
    ],
)
def test_a_canonical_query_is_cached(client, exhibit, url):
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert len(page_keys()) == 1


def test_the_apis_next_links_are_canonical_and_cached(client, exhibit):
    source = make.report()
    make.exhibit(source, name="第二件展品", exhibition=make.exhibition(source))
    first = client.get("/api/v1/exhibits/?page_size=1")
    second_url = first.json()["next"]
    assert client.get(second_url)["X-Page-Cache"] == "miss"
    assert client.get(second_url)["X-Page-Cache"] == "hit"
    previous_url = client.get(second_url).json()["previous"]
    assert [client.get(previous_url)["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"]


def test_a_page_bigger_than_the_cap_is_served_but_not_cached(client, exhibit, settings):
    url = f"/exhibits/{exhibit.slug}/"
    settings.PAGE_CACHE_MAX_BYTES = 1000
    assert [client.get(url)["X-Page-Cache"] for _ in range(2)] == ["bypass", "bypass"]
    assert page_keys() == []
    settings.PAGE_CACHE_MAX_BYTES = 10_000_000
    assert [client.get(url)["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"]


@pytest.mark.parametrize(
    "url",
    [
        "/exhibits/?sector=no-such-sector",  # a filter value that names nothing
        "/exhibits/?page=9999",  # a page past the last: the last page, under another address
        "/exhibits/?page=junk",
        "/events/?page=9999",
        "/craftsmen/?page=9999",
        "/search/?q=完全没有的词语",  # finds nothing
        "/search/?q=风能&page=9999",
    ],
)
def test_an_address_that_names_what_the_page_does_not_have_is_served_but_never_cached(client, exhibit, url):
    for _ in range(2):
        response = client.get(url)
        assert (response.status_code, response["X-Page-Cache"]) == (200, "bypass")
    assert page_keys() == []


def test_a_valid_filter_page_and_search_are_still_cached(client, exhibit):
    for url in ["/exhibits/?page=1", f"/search/?q={exhibit.name}", "/events/?page=1"]:
        assert client.get(url)["X-Page-Cache"] == "miss", url
        assert client.get(url)["X-Page-Cache"] == "hit", url
