"""The sitemap index and its pages: however many records there are, no
sitemap file outgrows the protocol's limits."""

import re
from contextlib import contextmanager

import pytest
from django.db.models.signals import post_init

from exhibits.models import Exhibit
from shell.sitemaps import RecordPages
from tests import factories as make

pytestmark = pytest.mark.django_db


def locations(xml: str) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", xml)


@contextmanager
def exhibits_built():
    """How many Exhibit instances the block builds from the database."""
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance)

    post_init.connect(count, sender=Exhibit)
    try:
        yield built
    finally:
        post_init.disconnect(count, sender=Exhibit)


def test_the_sitemap_is_an_index_of_sections_each_paged_by_the_record_limit(client, monkeypatch):
    monkeypatch.setattr(RecordPages, "limit", 4)  # two records, in two languages
    source = make.report()
    show = make.exhibition(source)
    exhibits = [make.exhibit(source, exhibition=show) for _ in range(5)]

    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert index["Content-Type"] == "application/xml; charset=utf-8"
    pages = [loc for loc in locations(index.content.decode()) if "/sitemap-exhibit.xml" in loc]
    assert pages == [
        "http://testserver/sitemap-exhibit.xml",
        "http://testserver/sitemap-exhibit.xml?p=2",
        "http://testserver/sitemap-exhibit.xml?p=3",
    ]

    listed = []
    for page in pages:
        response = client.get(page.removeprefix("http://testserver"))
        assert response.status_code == 200
        addresses = locations(response.content.decode())
        assert len(addresses) <= 4
        listed += addresses
    for exhibit in exhibits:
        assert f"http://testserver/exhibits/{exhibit.slug}/" in listed
        assert f"http://testserver/en/exhibits/{exhibit.slug}/" in listed


def test_a_sitemap_page_past_the_end_or_an_unknown_section_is_not_found(client):
    make.exhibit(make.report(), exhibition=make.exhibition(make.report()))
    assert client.get("/sitemap-exhibit.xml?p=2").status_code == 404
    assert client.get("/sitemap-exhibit.xml?p=nonsense").status_code == 404
    assert client.get("/sitemap-nonsense.xml").status_code == 404


def test_a_record_sitemap_page_stays_inside_the_protocol_limits():
    assert RecordPages.limit <= 50_000  # addresses per file


def test_a_sitemap_page_reads_only_its_own_records_and_the_index_none(client, monkeypatch):
    monkeypatch.setattr(RecordPages, "limit", 4)  # two records a page
    source = make.report()
    show = make.exhibition(source)
    exhibits = sorted((make.exhibit(source, exhibition=show) for _ in range(7)), key=lambda e: e.pk)

    with exhibits_built() as built:
        xml = client.get("/sitemap-exhibit.xml?p=2").content.decode()
    assert [loc for loc in locations(xml) if "/en/" not in loc] == [
        f"http://testserver/exhibits/{e.slug}/" for e in exhibits[2:4]
    ]
    assert sorted(e.pk for e in built) == [e.pk for e in exhibits[2:4]]

    with exhibits_built() as built:
        xml = client.get("/sitemap-exhibit.xml?p=4").content.decode()
    assert [loc for loc in locations(xml) if "/en/" not in loc] == [f"http://testserver/exhibits/{exhibits[6].slug}/"]
    assert len(built) == 1

    with exhibits_built() as built:
        assert client.get("/sitemap.xml").status_code == 200
    assert built == []
