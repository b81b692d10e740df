"""schema.org JSON-LD for the detail pages, so a shared or indexed page
says what it describes."""

from typing import Any

from django.http import HttpRequest

from portal.addresses import absolute_url
from portal.models import PublicRecord


def _absolute(request: HttpRequest, path: str | None) -> str | None:
    return absolute_url(request, path) if path else None


def _organisation(request: HttpRequest, organisation) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": organisation.name,
        "alternateName": organisation.name_en or None,
        "url": _absolute(request, organisation.get_absolute_url()),
    }


def jsonld_for(request: HttpRequest, record: PublicRecord) -> dict[str, Any]:
    """The schema.org description of one record, built from what is loaded
    on the page (no extra queries)."""
    kind = type(record).__name__
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "name": record.name,
        "alternateName": record.name_en or None,
        "description": record.display_description or None,
        "url": _absolute(request, record.get_absolute_url()),
        "citation": [
            {"@type": "CreativeWork", "name": c.report.title, "url": _absolute(request, c.get_absolute_url())}
            for c in record.sorted_citations
        ],
    }
    if kind == "Person":
        data["@type"] = "Person"
        data["jobTitle"] = record.title or None
        if record.organisation:
            data["worksFor"] = _organisation(request, record.organisation)
        if record.tier:
            data["award"] = record.tier.name
    elif kind == "Event":
        data["@type"] = "Event"
        data["startDate"] = record.start_date.isoformat() if record.start_date else None
        data["endDate"] = record.end_date.isoformat() if record.end_date else None
        if record.place:
            data["location"] = {"@type": "Place", "name": record.place.name}
        data["organizer"] = [_organisation(request, o) for o in record.hosts.all()] or None
    elif kind == "Exhibit":
        data["@type"] = "CreativeWork"
        data["creator"] = [{"@type": "Person", "name": p.name} for p in record.makers.all()] or None
        if record.organisation:
            data["producer"] = _organisation(request, record.organisation)
        data["keywords"] = [s.name for s in record.sectors.all()] or None
    elif kind in {"Organisation", "Academy"}:
        data["@type"] = "EducationalOrganization" if kind == "Academy" else "Organization"
    else:
        data["@type"] = "Thing"
    return {key: value for key, value in data.items() if value is not None}
