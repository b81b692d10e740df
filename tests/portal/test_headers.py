"""Security headers on every response: public pages (fresh and from the page
cache, both languages), the admin login, a static file, and error pages.
Public pages set no cookie and never touch the session."""

import re

import pytest
from django.test import Client

from tests.public_urls import ENGLISH_PATHS, PUBLIC_PATHS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]

EVERY_PUBLIC_URL = PUBLIC_PATHS + ENGLISH_PATHS + ["/search/?q=稀土", "/sitemap.xml", "/robots.txt"]
# Browser features the portal never uses: each must be turned off.
FEATURES_OFF = {"camera", "microphone", "geolocation", "payment", "usb", "browsing-topics", "display-capture", "serial"}
PRIVATE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
ONE_YEAR = 365 * 24 * 3600


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        assert name not in directives, f"{name} given twice"
        directives[name] = values
    return directives


def header_problems(response) -> list[str]:
    """Every way the response's headers fall short, as readable text."""
    problems = []
    hsts = response.headers.get("Strict-Transport-Security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    if not max_age or int(max_age.group(1)) < ONE_YEAR or "includesubdomains" not in hsts.lower():
        problems.append(f"HSTS: {hsts!r}")
    csp = response.headers.get("Content-Security-Policy")
    if not csp:
        problems.append("no Content-Security-Policy")
    else:
        directives = csp_directives(csp)
        expected = {
            "default-src": ["'none'"],
            "frame-ancestors": ["'none'"],
            "form-action": ["'self'"],
            "base-uri": ["'none'"],
        }
        for name, values in expected.items():
            if directives.get(name) != values:
                problems.append(f"CSP {name}: {directives.get(name)}")
        if re.search(r"'unsafe-(inline|eval|hashes)'", csp) or "*" in csp:
            problems.append(f"CSP allows too much: {csp}")
    expected_headers = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    for name, value in expected_headers.items():
        if response.headers.get(name) != value:
            problems.append(f"{name}: {response.headers.get(name)!r}")
    if response.headers.get("Cross-Origin-Resource-Policy") != "same-origin":
        problems.append(f"Cross-Origin-Resource-Policy: {response.headers.get('Cross-Origin-Resource-Policy')!r}")
    permissions = dict(
        item.strip().split("=", 1) for item in response.headers.get("Permissions-Policy", "").split(",") if "=" in item
    )
    on = sorted(feature for feature in FEATURES_OFF if permissions.get(feature) != "()")
    if on:
        problems.append(f"Permissions-Policy leaves on: {on}")
    if response.headers.get("Referrer-Policy") not in PRIVATE_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy: {response.headers.get('Referrer-Policy')!r}")
    content_type = response.headers.get("Content-Type", "").lower().replace('"', "")
    if "charset=utf-8" not in content_type:
        problems.append(f"Content-Type: {content_type!r}")
    return problems


@pytest.fixture
def https_client(settings):
    """A client behind the TLS-terminating proxy, as in production."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    return Client(headers={"X-Forwarded-Proto": "https"}, raise_request_exception=False)


@pytest.mark.parametrize("path", EVERY_PUBLIC_URL)
def test_every_public_url_carries_the_security_headers_fresh_and_cached(https_client, path):
    fresh = https_client.get(path)
    cached = https_client.get(path)

    assert fresh.status_code == cached.status_code == 200
    assert header_problems(fresh) == []
    assert header_problems(cached) == []
    if fresh.has_header("X-Page-Cache"):
        assert cached["X-Page-Cache"] == "hit"


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


@pytest.mark.parametrize("path", PUBLIC_PATHS + ENGLISH_PATHS)
def test_public_pages_have_no_inline_script_or_style(client, path):
    html = client.get(path).content.decode()
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or 'type="application/ld+json"' in script, script
    assert "<style" not in html
    assert not re.search(r"<[^>]+\sstyle=", html), "style attributes need 'unsafe-inline'"
    assert not re.search(r"<[^>]+\son[a-z]+=", html), "event handler attributes need 'unsafe-inline'"


@pytest.mark.parametrize("path", EVERY_PUBLIC_URL)
def test_public_urls_set_no_cookie_and_touch_no_session(client, path):
    for response in (client.get(path), client.get(path)):
        assert response.status_code == 200
        assert response.cookies == {}
        assert "Set-Cookie" not in response.headers
        # SessionMiddleware adds "Vary: Cookie" whenever a view reads the session.
        assert "cookie" not in response.headers.get("Vary", "").lower()
    assert client.cookies == {}


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
