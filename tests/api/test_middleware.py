"""Every error under /api/ is a problem body, whichever layer gives it
(api/middleware.py); pages elsewhere keep their HTML error pages."""

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
TOO_MANY = "&".join(f"p{i}=1" for i in range(1001))


@pytest.fixture
def client():
    # The server's own answer to an exception, not the exception itself.
    return Client(raise_request_exception=False)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    assert "Content-Encoding" not in response
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"] == f"https://www.rfc-editor.org/rfc/rfc9110#status.{status}"
    assert problem["title"] and problem["detail"]
    return problem


@pytest.mark.parametrize(
    "path", ["/api/v1/exhibits/", "/api/v1/exhibits/some-slug/", "/api/v1/search/", "/api/", "/api/v1/recipes/"]
)
def test_over_a_thousand_parameters_get_a_400_problem_not_the_html_page(client, path):
    problem = assert_problem(client.get(f"{path}?{TOO_MANY}"), 400)
    assert "1,000" in problem["detail"]


def test_a_thousand_parameters_are_still_fine(client):
    query = "&".join(f"p{i}=1" for i in range(999))
    assert client.get(f"/api/v1/exhibits/?{query}").status_code == 200


def test_over_a_thousand_parameters_on_a_page_still_get_the_html_page(client):
    response = client.get(f"/exhibits/?{TOO_MANY}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["/api/", "/api/v1/", "/api/v1/exhibits/", "/api/v1/exhibits/some-slug/"])
def test_a_method_the_api_does_not_offer_gets_a_405_problem_that_keeps_allow(client, method, path):
    response = getattr(client, method)(path)
    problem = assert_problem(response, 405)
    assert "GET" in response["Allow"]
    assert method.upper() in problem["detail"]


def test_a_server_error_gets_a_500_problem_even_when_the_page_would_be_compressed(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr("api.views.matching", broken)
    response = client.get("/api/v1/search/?q=x", HTTP_ACCEPT_ENCODING="gzip")
    problem = assert_problem(response, 500)
    assert "broken" not in problem["detail"]


def test_an_unreachable_database_gets_a_503_problem_that_keeps_retry_after(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("api.views.matching", unreachable)
    response = client.get("/api/v1/search/?q=x")
    assert_problem(response, 503)
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"


def test_the_api_s_own_problems_are_passed_through_unchanged(client):
    problem = assert_problem(client.get("/api/v1/exhibits/?page=0"), 400)
    assert problem["title"] == "Invalid parameters"
    assert "page" in problem["errors"]


def test_an_error_page_outside_the_api_is_left_alone(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
