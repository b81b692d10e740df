"""schema.org JSON-LD for the detail pages, so a shared or indexed page
says what it describes. Each model gives its type and what it adds
(`jsonld_type`, `jsonld_details`)."""

from typing import Any

from django.http import HttpRequest

from portal.addresses import absolute_url
from portal.models import PublicRecord


def jsonld_for(request: HttpRequest, record: PublicRecord) -> dict[str, Any]:
    """The schema.org description of one record, built from what is loaded
    on the page (no extra queries)."""

    def link(path: str | None) -> str | None:
        return absolute_url(request, path) if path else None

    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": record.jsonld_type,
        "name": record.name,
        "alternateName": record.name_en or None,
        "description": record.display_description or None,
        "url": link(record.get_absolute_url()),
        "citation": [
            {"@type": "CreativeWork", "name": c.report.title, "url": link(c.get_absolute_url())}
            for c in record.sorted_citations
        ],
        **record.jsonld_details(link),
    }
    return {key: value for key, value in data.items() if value is not None}
