"""The kinds each app declares (craftsmen/facets.py, exhibits/facets.py,
shell/facets.py for portal's own): their orders are part of every document id (kind order
× 2**32 + position), so they never change."""

from craftsmen.models import Academy, AcademyGroup, AcademyType, Person, PilotBatch, PilotCategory, Tier
from exhibits.models import Exhibit
from portal.models import Event, Figure, Organisation, Programme
from search.kinds import KINDS, indexed_models


def test_every_kind_keeps_its_order_and_its_place_in_the_results():
    assert [(kind.key, kind.order) for kind in KINDS] == [
        ("exhibit", 1),
        ("person", 2),
        ("tier", 3),
        ("pilot", 4),
        ("academy", 5),
        ("event", 6),
        ("organisation", 7),
        ("programme", 8),
        ("figure", 9),
    ]


def test_the_indexed_models_are_numbered_in_the_same_order_as_before():
    assert indexed_models() == [
        (Exhibit, "exhibit"),
        (Person, "person"),
        (Tier, "tier"),
        (PilotBatch, "pilot"),
        (PilotCategory, "pilot"),
        (Academy, "academy"),
        (AcademyGroup, "academy"),
        (AcademyType, "academy"),
        (Event, "event"),
        (Organisation, "organisation"),
        (Programme, "programme"),
        (Figure, "figure"),
    ]


def test_pinyin_finds_the_kinds_it_found_before():
    assert {kind.key for kind in KINDS if kind.pinyin} == {
        "person",
        "organisation",
        "academy",
        "exhibit",
        "event",
        "programme",
        "tier",
    }
