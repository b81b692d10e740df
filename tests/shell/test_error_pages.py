"""Error pages: an unreachable database is a fast, uncached 503 that says
so; anything else a generic 500 with no traceback."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("error", [OperationalError("connection refused"), InterfaceError("connection closed")])
def test_an_unreachable_database_gives_a_503_page_to_retry(anonymous, error):
    with mock.patch("portal.caching.current_version", side_effect=error):
        response = anonymous.get("/exhibits/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "服务暂时不可用" in html
    assert "connection refused" not in html


def test_the_database_failing_inside_a_view_gives_503_too(anonymous):
    with mock.patch("shell.pages._section_counts", side_effect=OperationalError("server closed the connection")):
        assert anonymous.get("/").status_code == 503


def test_any_other_error_gives_a_generic_500_without_a_traceback(anonymous):
    with mock.patch("shell.pages._section_counts", side_effect=ValueError("secret detail")):
        response = anonymous.get("/")

    assert response.status_code == 500
    assert "secret detail" not in response.content.decode()
    assert "服务暂时出错" in response.content.decode()
