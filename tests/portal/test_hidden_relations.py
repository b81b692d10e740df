"""A hidden (unpublished) record stays hidden everywhere, also where another
record links to it: its names and slug are on no public page, export,
download, search result or API answer, in either language. The rule is
portal.models.may_show and PublicQuerySet.published().

Each case builds a small world in which one record of each linked kind
carries a marker name that appears nowhere else, hides that record, and
walks everything a visitor can reach."""

import io
import re
import zipfile

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from portal.models import may_show
from tests import factories as f
from tests.public_urls import LIST_PATHS

# The kinds of record other records link to, as the issue lists them.
HIDDEN_KINDS = [
    "person",
    "sector",
    "area",
    "kind",
    "organisation",
    "tier",
    "place",
    "event",
    "academy_type",
    "exhibition",
]

DATASETS = [
    "/exhibits/export.{fmt}",
    "/craftsmen/export.{fmt}",
    "/academies/export.{fmt}",
    "/events/export.{fmt}",
    "/organisations/export.{fmt}",
    "/pilot-units/export.{fmt}",
]

API_LISTS = ["exhibits", "people", "tiers", "tier-counts", "academies", "events", "organisations", "figures", "places"]


# A character per kind for the marker names (an ASCII word in a Chinese
# name would also find the factories' "person 12", "org 3"…).
STEMS = dict(zip(HIDDEN_KINDS, "甲乙丙丁戊己庚辛壬癸", strict=True))


def _markers(key: str) -> dict[str, str]:
    # Strings that no page template, translation or other record contains.
    tag = key.replace("_", "")
    return {"name": f"隐{STEMS[key]}秘记", "name_en": f"Hush{tag.title()}Mark", "slug": f"hush-{tag}-mark"}


def _named(factory, key: str, **fields):
    return factory(**(_markers(key) | fields))


@pytest.fixture
def world(db):
    """One visible record of each page kind, linked to a marked record of
    every kind that can be hidden."""
    source = f.report()
    place = _named(f.place, "place", source=source)
    parent_event = _named(f.event, "event", source=source, place=place)
    organisation = _named(f.organisation, "organisation", source=source, place=place)
    tier = _named(f.tier, "tier", source=source, region=place)
    exhibition = _named(f.exhibition, "exhibition", source=source, event=parent_event)
    area = _named(f.area, "area", source=source, exhibition=exhibition)
    kind = _named(f.kind, "kind", source=source)
    sector = _named(f.sector, "sector", source=source)
    person = _named(f.person, "person", source=source, tier=tier, organisation=organisation)
    academy_type = _named(f.academy_type, "academy_type", source=source)

    visible = {}
    visible["event"] = f.event(source=source, parent=parent_event, place=place)
    visible["event"].hosts.set([organisation])
    visible["organisation"] = f.organisation(source=source, parent=organisation, place=place)
    visible["exhibit"] = f.exhibit(
        source=source,
        # The makers as the report wrote them name the person too, in both
        # languages.
        makers_as_written=f"{person.name}及其团队",
        makers_as_written_en=f"{person.name_en} and team",
        exhibition=exhibition,
        area=area,
        kind=kind,
        organisation=organisation,
        sectors=[sector],
        makers=[person],
    )
    # A second exhibit in the same area, sector and organisation, so the
    # first one's related exhibits, the area labels and the filter menus
    # all have something to show.
    visible["exhibit_2"] = f.exhibit(
        source=source, exhibition=exhibition, area=area, kind=kind, organisation=organisation, sectors=[sector]
    )
    visible["person"] = f.person(source=source, tier=tier, organisation=organisation)
    visible["academy"] = f.academy(
        source=source, academy_type=academy_type, organisation=organisation, recognised_by=organisation
    )
    f.tier_count(source=source, tier=tier, place=place)
    f.tier_count(source=source, tier=tier, event=parent_event)
    f.event_role(source=source, event=parent_event, person=person, organisation=organisation)
    f.event_role(source=source, event=visible["event"], person=person, organisation=organisation)
    f.figure(source=source, event=parent_event, organisation=organisation)
    programme = f.programme(source=source)
    programme.organisations.set([organisation])
    hideable = {
        "person": person,
        "sector": sector,
        "area": area,
        "kind": kind,
        "organisation": organisation,
        "tier": tier,
        "place": place,
        "event": parent_event,
        "academy_type": academy_type,
        "exhibition": exhibition,
    }
    return {"source": source, "visible": visible, "hideable": hideable}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _text(data: bytes) -> str:
    """All the text in a response: a zip (the dataset, an .xlsx) is read
    member by member, nested ones too."""
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(_text(archive.read(name)) for name in archive.namelist())
    return data.decode("utf-8", errors="replace")


def _public_paths(world) -> list[str]:
    with translation.override(settings.LANGUAGE_CODE):
        return _paths_in_chinese(world)


def _paths_in_chinese(world) -> list[str]:
    visible, source = world["visible"], world["source"]
    area = world["hideable"]["area"]
    paths = [
        *LIST_PATHS,  # /organisations/ lists the organisation
        source.get_absolute_url(),
        f"/exhibits/{visible['exhibit'].slug}/label/",
        f"/exhibits/areas/{area.slug}/labels/",
        "/data/beijiang-gongjiang-data.zip",
        *[record.get_absolute_url() for record in visible.values()],
        *[pattern.format(fmt=fmt) for pattern in DATASETS for fmt in ("csv", "xlsx")],
    ]
    return paths + ["/en" + path for path in paths]


def _leaks(text: str, markers: dict[str, str]) -> list[str]:
    return [value for value in markers.values() if value in text]


@pytest.mark.parametrize("key", HIDDEN_KINDS)
def test_a_hidden_record_shows_nowhere_that_links_to_it(world, key):
    hidden = world["hideable"][key]
    markers = _markers(key)
    client = Client()

    # The walk finds the marker while the record is published, so the walk
    # reaches the places that would show it.
    before = "\n".join(_text(_body(client.get(path))) for path in _public_paths(world))
    assert _leaks(before, markers), f"the walk never shows a published {key}"

    hidden.is_published = False
    hidden.save()

    leaks = {}
    for path in _public_paths(world):
        response = client.get(path)
        if response.status_code == 404 and hidden.slug in path:
            continue  # the hidden record's own label page
        assert response.status_code == 200, path
        found = _leaks(_text(_body(response)), markers)
        if found:
            leaks[path] = found
    assert leaks == {}


@pytest.mark.parametrize("key", HIDDEN_KINDS)
def test_a_hidden_record_neither_finds_nor_is_found_in_search(world, key):
    hidden = world["hideable"][key]
    markers = _markers(key)
    hidden.is_published = False
    hidden.save()
    client = Client()
    for language in ("", "/en"):
        for query in (markers["name"], markers["name_en"]):
            response = client.get(f"{language}/search/", {"q": query})
            assert response.context["total"] == 0, (language, query)
            export = _text(_body(client.get(f"{language}/search/export.csv", {"q": query})))
            # The header row only: no record is found by the hidden name.
            assert len([line for line in export.splitlines() if line.strip()]) == 1, (language, query)
    # Records that link to it are still found by their own names, and
    # their snippets do not carry the hidden name.
    exhibit = world["visible"]["exhibit"]
    response = client.get("/search/", {"q": exhibit.name})
    assert response.context["total"] >= 1
    assert not _leaks(response.content.decode(), markers)


@pytest.mark.parametrize("key", HIDDEN_KINDS)
def test_the_api_names_no_hidden_record(world, key):
    hidden = world["hideable"][key]
    hidden.is_published = False
    hidden.save()
    client = Client()
    details = {
        "exhibits": world["visible"]["exhibit"].slug,
        "people": world["visible"]["person"].slug,
        "academies": world["visible"]["academy"].slug,
        "events": world["visible"]["event"].slug,
        "organisations": world["visible"]["organisation"].slug,
    }
    paths = [f"/api/v1/{resource}/" for resource in API_LISTS]
    paths += [f"/api/v1/{resource}/{slug}/" for resource, slug in details.items()]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not _leaks(response.content.decode(), _markers(key)), path


def test_an_event_whose_parent_is_hidden_is_listed_on_its_own(world):
    event = world["visible"]["event"]
    parent = world["hideable"]["event"]
    client = Client()
    assert event.get_absolute_url() in client.get("/events/").content.decode()
    parent.is_published = False
    parent.save()
    assert event.get_absolute_url() in client.get("/events/").content.decode()


def test_publishing_the_record_again_brings_its_name_back_to_the_pages_and_search(world):
    sector = world["hideable"]["sector"]
    sector.is_published = False
    sector.save()
    sector.is_published = True
    sector.save()
    client = Client()
    exhibit = world["visible"]["exhibit"]
    assert _markers("sector")["name"] in client.get(exhibit.get_absolute_url()).content.decode()
    assert client.get("/search/", {"q": _markers("sector")["name"]}).context["total"] >= 1


def test_source_citation_counts_count_only_public_records(world):
    source = world["source"]
    client = Client()

    def count() -> int:
        html = client.get("/sources/").content.decode()
        return int(re.search(r"(\d+) 条引用", html).group(1))

    before = count()
    world["hideable"]["sector"].is_published = False
    world["hideable"]["sector"].save()
    # The sector's own citation no longer counts.
    assert count() == before - 1
    assert source.citations.count() == before


def test_the_organisation_menu_lists_only_organisations_with_a_public_exhibit(world):
    organisation = world["hideable"]["organisation"]
    for exhibit in organisation.exhibits.all():
        exhibit.is_published = False
        exhibit.save()
    html = Client().get("/exhibits/").content.decode()
    assert f'value="{organisation.slug}"' not in html


def test_the_tier_filter_ignores_hidden_makers(world):
    person = world["hideable"]["person"]
    tier = world["hideable"]["tier"]
    exhibit = world["visible"]["exhibit"]
    client = Client()
    assert exhibit.name in client.get("/exhibits/", {"tier": tier.slug}).content.decode()
    person.is_published = False
    person.save()
    assert exhibit.name not in client.get("/exhibits/", {"tier": tier.slug}).content.decode()


def test_people_whose_tier_is_hidden_are_listed_with_the_others(world):
    tier = world["hideable"]["tier"]
    person = world["visible"]["person"]
    tier.is_published = False
    tier.save()
    html = Client().get("/craftsmen/").content.decode()
    assert person.get_absolute_url() in html


def test_a_record_that_needs_a_hidden_record_is_hidden_in_sql_and_in_python(db):
    from craftsmen.models import TierCount

    tier = f.tier()
    count = f.tier_count(tier=tier)
    tier.is_published = False
    tier.save()
    assert list(TierCount.objects.published()) == []
    count.refresh_from_db()
    assert not may_show(count)
    tier.is_published = True
    tier.save()
    count.refresh_from_db()
    assert list(TierCount.objects.published()) == [count]
    assert may_show(count)
