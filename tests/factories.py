"""Small explicit factories for page tests. The real fixtures are tested
on their own (tests/test_fixtures_data.py); page tests build just what they
need, so query counts can be measured at any size."""

from itertools import count

from craftsmen.models import (
    Academy,
    AcademyField,
    AcademyGroup,
    AcademyType,
    EventRole,
    Person,
    PilotBatch,
    PilotCategory,
    Tier,
    TierCount,
)
from exhibits.models import Exhibit, Exhibition, ExhibitionArea, ExhibitKind, Sector
from portal.models import Citation, Event, Figure, Organisation, Place, Programme, Report

_numbers = count(1)


def _n() -> int:
    return next(_numbers)


def report(**fields) -> Report:
    n = _n()
    values = {
        "slug": f"report-{n}",
        "file_name": f"{n:03d}_test.txt",
        "title": f"报道{n}",
        "order": n % 30000,  # a smallint on PostgreSQL; the counter runs past it in a full run
    }
    return Report.objects.create(**(values | fields))


def cite(record, source: Report | None = None, paragraph: int = 1, excerpt: str = "原文摘录") -> object:
    Citation.objects.create(record=record, report=source or report(), paragraph=paragraph, excerpt=excerpt)
    return record


def _named(model, prefix: str, source: Report | None, **fields):
    n = _n()
    values = {"slug": f"{prefix}-{n}", "name": f"{prefix}{n}", "name_en": f"{prefix} {n}"}
    return cite(model.objects.create(**(values | fields)), source)


def place(source=None, **fields) -> Place:
    return _named(Place, "place", source, **({"kind": Place.Kind.CITY} | fields))


def organisation(source=None, **fields) -> Organisation:
    return _named(Organisation, "org", source, **({"kind": Organisation.Kind.ENTERPRISE} | fields))


def event(source=None, **fields) -> Event:
    return _named(Event, "event", source, **({"kind": Event.Kind.MEETING} | fields))


def programme(source=None, **fields) -> Programme:
    return _named(Programme, "programme", source, **({"kind": Programme.Kind.INITIATIVE} | fields))


def figure(source=None, **fields) -> Figure:
    defaults = {
        "topic": Figure.Topic.EXHIBITION,
        "value": 40,
        "unit": "项",
        "unit_en": "innovations",
        "precision": Figure.Precision.MORE_THAN,
        "printed": "40余项",
        "phrase": "40余项",
        "is_headline": True,
    }
    return _named(Figure, "figure", source, **(defaults | fields))


def tier(source=None, **fields) -> Tier:
    return _named(Tier, "tier", source, **({"scope": Tier.Scope.REGIONAL, "rank": 2} | fields))


def person(source=None, **fields) -> Person:
    if fields.get("tier") and "tier_basis" not in fields:
        fields["tier_basis"] = Person.TierBasis.STATED
    return _named(Person, "person", source, **fields)


def tier_count(source=None, **fields) -> TierCount:
    return _named(TierCount, "count", source, **({"count": 3, "unit": "位", "phrase": "3位"} | fields))


def event_role(source=None, **fields) -> EventRole:
    return _named(EventRole, "role", source, **fields)


def exhibition(source=None, **fields) -> Exhibition:
    return _named(Exhibition, "exhibition", source, **fields)


def area(source=None, **fields) -> ExhibitionArea:
    return _named(ExhibitionArea, "area", source, **({"exhibition": fields.pop("exhibition", None)} | fields))


def sector(source=None, **fields) -> Sector:
    return _named(Sector, "sector", source, **fields)


def kind(source=None, **fields) -> ExhibitKind:
    return _named(ExhibitKind, "kind", source, **fields)


def exhibit(source=None, sectors=(), makers=(), **fields) -> Exhibit:
    record = _named(Exhibit, "exhibit", source, **fields)
    record.sectors.set(sectors)
    record.makers.set(makers)
    return record


def pilot_batch(source=None, **fields) -> PilotBatch:
    # number is a smallint on PostgreSQL; the counter runs past it in a full run.
    return _named(PilotBatch, "batch", source, **({"number": _n() % 30000 + 1} | fields))


def pilot_category(source=None, **fields) -> PilotCategory:
    return _named(PilotCategory, "category", source, **({"count": 10, "phrase": "10家"} | fields))


def academy_type(source=None, **fields) -> AcademyType:
    return _named(AcademyType, "atype", source, **({"count": 1, "phrase": "1家"} | fields))


def academy_group(source=None, **fields) -> AcademyGroup:
    return _named(AcademyGroup, "agroup", source, **({"count": 8, "unit": "家", "phrase": "8家"} | fields))


def academy_field(source=None, **fields) -> AcademyField:
    return _named(AcademyField, "afield", source, **fields)


def academy(source=None, groups=(), **fields) -> Academy:
    record = _named(Academy, "academy", source, **fields)
    record.groups.set(groups)
    return record
