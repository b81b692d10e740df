"""Security headers on every kind of response besides the public pages
(tests/test_public_urls.py checks those, fresh and cached): a conditional
GET, the admin login, a static file, error pages, the API, a refused host;
and HSTS and the HTTPS redirect behind the proxy."""

import pytest
from django.test import Client

from tests.page_checks import header_problems

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]


def test_a_conditional_get_answered_304_carries_the_headers_too(https_client):
    etag = https_client.get("/exhibits/")["ETag"]
    response = https_client.get("/exhibits/", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert [p for p in header_problems(response) if not p.startswith("Content-Type")] == []


def test_the_admin_login_carries_the_security_headers(https_client):
    response = https_client.get("/admin/login/")
    assert response.status_code == 200
    assert header_problems(response) == []


def test_a_static_file_carries_the_security_headers(https_client, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client(headers={"X-Forwarded-Proto": "https"}).get("/static/css/portal.css")
    assert response.status_code == 200
    assert header_problems(response) == []


@pytest.mark.parametrize(("path", "status"), [("/no-such-page/", 404), ("/exhibits/?a=%00", 400)])
def test_error_pages_carry_the_security_headers(https_client, path, status):
    response = https_client.get(path)
    assert response.status_code == status
    assert header_problems(response) == []


@pytest.mark.parametrize(
    ("path", "status"), [("/api/v1/places/", 200), ("/api/v1/places/no-such-place/", 404), ("/healthz", 200)]
)
def test_api_responses_carry_the_security_headers(https_client, path, status):
    response = https_client.get(path)
    assert response.status_code == status
    # application/problem+json is UTF-8 by definition (RFC 8259): no charset.
    assert [p for p in header_problems(response) if "problem+json" not in p] == []


def test_a_request_refused_for_its_host_carries_the_new_policies(https_client):
    response = https_client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_hsts_is_sent_only_over_https_behind_the_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = False
    assert "Strict-Transport-Security" not in Client().get("/")
    assert "Strict-Transport-Security" in Client(headers={"X-Forwarded-Proto": "https"}).get("/")


def test_plain_http_is_redirected_to_https_except_the_health_check(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/exhibits/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/exhibits/"
    assert Client().get("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_refused_host_is_logged_in_one_line_without_a_traceback(client):
    import io
    import logging

    handler = logging.getLogger("django.security.DisallowedHost").handlers[0]
    stream, handler.stream = handler.stream, io.StringIO()
    try:
        response = client.get("/", HTTP_HOST="evil.example")
        logged = handler.stream.getvalue()
    finally:
        handler.stream = stream
    assert response.status_code == 400
    assert "Invalid HTTP_HOST header: 'evil.example'" in logged
    assert "Traceback" not in logged
    assert len(logged.strip().splitlines()) == 1
