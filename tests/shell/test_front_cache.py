"""FrontPageCache (shell/wsgi.py): a page this process has sent is answered
again, as sent, before Django builds a request; a write, another address,
another encoding, a session or a revalidation goes to Django."""

import gzip
import io
import sys
from unittest import mock

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import OperationalError, close_old_connections, connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from portal.caching import FrontPageCache

pytestmark = pytest.mark.django_db


@pytest.fixture
def front(settings):
    """The WSGI application as shell/wsgi.py builds it, with the front
    cache on, called as a WSGI server would, inside the test's transaction."""
    settings.CACHES = {
        **settings.CACHES,
        "front": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-front"},
    }
    settings.PAGE_FRONT_CACHE_ALIAS = "front"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    from django.core.cache import caches

    caches["front"].clear()
    # As Django's test client does: the test's transaction must survive the
    # request signals, which would close the connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield Front(FrontPageCache(WSGIHandler()))
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


class Front:
    def __init__(self, application):
        self.application = application
        self.django_requests = 0

    def get(self, path, query="", host="testserver", proto="https", method="GET", **headers):
        environ = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": host,
            "HTTP_ACCEPT_ENCODING": "gzip, br",
            "HTTP_X_FORWARDED_PROTO": proto,
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
        }
        if environ["HTTP_ACCEPT_ENCODING"] is None:
            del environ["HTTP_ACCEPT_ENCODING"]
        started = []

        def count(**kwargs):
            started.append(True)

        request_started.connect(count)
        sent = {}

        def start_response(status, headers, exc_info=None):
            sent.update(status=status, headers=headers)

        try:
            body = self.application(environ, start_response)
            content = b"".join(body)
            getattr(body, "close", lambda: None)()
        finally:
            request_started.disconnect(count)
        return Sent(int(sent["status"].split()[0]), dict(sent["headers"]), content, reached_django=bool(started))


class Sent:
    def __init__(self, status, headers, content, reached_django):
        self.status, self.headers, self.content, self.reached_django = status, headers, content, reached_django

    @property
    def text(self):
        body = gzip.decompress(self.content) if self.headers.get("Content-Encoding") == "gzip" else self.content
        return body.decode()


def test_a_page_sent_once_is_sent_again_as_it_was_without_reaching_django(front, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    first = front.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = front.get(url)

    assert first.reached_django and first.headers["X-Page-Cache"] == "miss"
    assert not again.reached_django
    assert len(queries) == 1  # the content version
    assert again.status == 200 and again.content == first.content
    assert again.headers == first.headers | {"X-Page-Cache": "hit"}
    # What the outer middleware adds is in what is sent again.
    for name in ("Content-Security-Policy", "Strict-Transport-Security", "X-Frame-Options", "Content-Language"):
        assert name in again.headers


def test_other_methods_get_405_and_head_200_without_a_body_after_the_page_was_sent(front, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    sent = front.get(url)
    assert not front.get(url).reached_django
    for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"):
        refused = front.get(url, method=method)
        assert (refused.status, refused.headers["Allow"]) == (405, "GET, HEAD"), method
    head = front.get(url, method="HEAD")
    assert (head.status, head.content, head.headers["X-Page-Cache"]) == (200, b"", "hit")
    assert head.headers["Content-Length"] == sent.headers["Content-Length"]


def test_a_write_is_in_the_very_next_page(front, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    front.get(url)
    front.get(url)
    exhibit.name = "风能叶片检测仪（改进型）"
    exhibit.save()

    after = front.get(url)
    assert after.reached_django
    assert "（改进型）" in after.text
    assert not front.get(url).reached_django


def test_each_host_gets_the_page_with_its_own_address(front, settings, exhibit):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    url = f"/exhibits/{exhibit.slug}/"
    front.get(url)
    front.get(url)

    other = front.get(url, host="other.example")
    assert other.reached_django
    assert f'href="https://other.example{url}"' in other.text
    assert f'href="https://testserver{url}"' in front.get(url).text


def test_a_host_not_allowed_gets_400_even_after_the_page_was_sent(front, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    front.get(url)
    assert front.get(url, host="evil.example").status == 400


def test_plain_http_is_redirected_even_after_the_https_page_was_sent(front, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    front.get(url)
    front.get(url)
    plain = front.get(url, proto="http")
    assert plain.status == 301
    assert plain.headers["Location"] == f"https://testserver{url}"


def test_each_encoding_is_a_page_of_its_own(front, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    compressed = front.get(url)
    front.get(url)
    plain = front.get(url, accept_encoding=None)

    assert compressed.headers["Content-Encoding"] == "gzip"
    assert plain.reached_django and "Content-Encoding" not in plain.headers
    assert plain.text == compressed.text
    assert "Content-Encoding" not in front.get(url, accept_encoding=None).headers


def test_a_request_with_a_session_cookie_goes_to_django(front, settings, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    front.get(url)
    assert front.get(url, cookie=f"{settings.SESSION_COOKIE_NAME}=abc").reached_django
    assert not front.get(url, cookie="somebody_elses=1").reached_django


def test_a_revalidation_goes_to_django_and_gets_304(front, exhibit):
    url = f"/exhibits/{exhibit.slug}/"
    etag = front.get(url).headers["ETag"]
    front.get(url)
    revalidated = front.get(url, if_none_match=etag)
    assert revalidated.reached_django
    assert revalidated.status == 304


def test_a_page_not_found_is_not_kept(front):
    assert front.get("/exhibits/no-such-thing/").status == 404
    assert front.get("/exhibits/no-such-thing/").reached_django


def test_a_download_is_streamed_by_django_every_time(front, exhibit):
    front.get("/exhibits/export.csv")
    assert front.get("/exhibits/export.csv").reached_django


def test_a_public_page_depends_on_neither_accept_language_nor_a_language_cookie(client, settings, exhibit):
    """The premise of the front cache's key: the language of a page is its
    path's, whatever the browser asks for."""
    settings.PAGE_CACHE_SECONDS = 0
    for url in ("/", f"/exhibits/{exhibit.slug}/", f"/en/exhibits/{exhibit.slug}/"):
        plain = client.get(url).content
        assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").content == plain
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en" if not url.startswith("/en/") else "zh-hans"
        assert client.get(url).content == plain
        client.cookies.clear()


def test_a_response_that_varies_on_more_than_the_key_covers_is_not_kept():
    response = HttpResponse("x")
    response.page_cache_version = 7
    response["Vary"] = "Accept-Encoding, Accept-Language"
    assert FrontPageCache._storable(response, 7)
    response["Vary"] = "Accept-Encoding, Cookie"
    assert not FrontPageCache._storable(response, 7)
    response["Vary"] = "Accept-Encoding"
    assert not FrontPageCache._storable(response, 8)


def test_a_database_that_cannot_be_reached_is_tried_once_and_answered_503(front, exhibit):
    with mock.patch("portal.caching.current_version", side_effect=OperationalError("down")) as read:
        response = front.get(f"/exhibits/{exhibit.slug}/")
    assert response.status == 503
    assert read.call_count == 1


def test_a_connection_left_open_between_hits_that_died_is_replaced_once():
    """After a database restart the connection FrontPageCache kept open is
    dead; the request gets a new one, as Django's own next request would."""
    from portal import caching

    kept = mock.Mock(connection=object(), in_atomic_block=False)
    with (
        mock.patch.object(caching, "connections", {"default": kept, "reader": kept, "replica": kept}),
        mock.patch.object(caching, "current_version", side_effect=[OperationalError("gone"), (5, 0.0)]) as read,
    ):
        assert caching._front_version() == (5, 0.0)
    assert read.call_count == 2
    kept.close.assert_called_once()


def test_a_connection_opened_for_the_request_that_fails_is_not_tried_again():
    from portal import caching

    fresh = mock.Mock(connection=None, in_atomic_block=False)
    with (
        mock.patch.object(caching, "connections", {"default": fresh, "reader": fresh, "replica": fresh}),
        mock.patch.object(caching, "current_version", side_effect=OperationalError("down")) as read,
        pytest.raises(OperationalError),
    ):
        caching._front_version()
    assert read.call_count == 1
