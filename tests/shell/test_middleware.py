"""Methods: public pages and the API answer GET and HEAD only, the same on
a cache miss and a hit; any other method is a 405 with `Allow: GET, HEAD`
(problem+json under /api/), never a 403 from CSRF."""

import json

import pytest
from django.test import Client

from tests.public_urls import ENGLISH_PATHS, PUBLIC_PATHS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]

API_PATHS = [
    "/api/",
    "/api/v1/",
    "/api/v1/exhibits/",
    "/api/v1/exhibits/jixieshi-zisuo-fang-tuoluo-qianyin-suozhi-zhuangzhi/",
    "/api/v1/people/gao-fenglin/",
    "/api/v1/search/?q=稀土",
    "/api/v1/openapi.json",
]
URLS = [*PUBLIC_PATHS, *ENGLISH_PATHS, "/search/?q=稀土", "/robots.txt", "/sitemap.xml", *API_PATHS]
OTHER_METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


def other_methods_are_refused(client: Client, url: str) -> None:
    for method in OTHER_METHODS:
        response = client.generic(method, url)
        assert (response.status_code, response["Allow"]) == (405, "GET, HEAD"), (method, url)
        if url.startswith("/api/"):
            assert response["Content-Type"] == "application/problem+json"
            assert json.loads(response.content)["status"] == 405


@pytest.mark.parametrize("url", URLS)
def test_each_public_url_answers_get_and_head_alike_and_405_to_the_rest_on_a_miss_and_a_hit(url):
    # enforce_csrf_checks: as a browser meets the site, where a POST got 403.
    client = Client(enforce_csrf_checks=True)
    other_methods_are_refused(client, url)  # nothing cached yet

    head = client.head(url)
    assert head.status_code == 200, url
    assert head.content == b""
    got = client.get(url)
    assert got.status_code == 200
    assert head.get("X-Page-Cache") in (None, "miss")
    assert got.get("X-Page-Cache") in (None, "hit")  # the HEAD filled the cache for the GET
    assert head["Content-Type"] == got["Content-Type"]

    other_methods_are_refused(client, url)  # now cached
    head = client.head(url)
    assert (head.status_code, head.content) == (200, b"")
    assert head.get("X-Page-Cache") == got.get("X-Page-Cache")


def test_healthz_answers_head():
    response = Client().head("/healthz")
    assert (response.status_code, response.content) == (200, b"")
    assert Client().post("/healthz").status_code == 405


def test_the_admin_still_takes_posts(admin_client):
    response = admin_client.post("/admin/logout/")
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_a_refused_method_is_explained_in_the_page_s_language(client):
    assert client.post("/exhibits/").content.decode() == "只接受 GET 和 HEAD 请求。"
    assert client.post("/en/exhibits/").content.decode() == "Only GET and HEAD are allowed."
