"""The API docs page is a page of the portal: a language, a phone's
viewport, and a way back to the portal."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_docs_page_has_a_language_a_viewport_and_links_back_to_the_portal(client):
    html = client.get("/api/v1/docs/").content.decode()

    assert '<html lang="en">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<a href="/en/">Northern Frontier Craftsmen</a>' in html
    assert '<a href="/">北疆工匠网</a>' in html
