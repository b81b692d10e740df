"""What the API returns for portal's own kinds of record (their pages are
this shell's too), and how their lists filter (portal.resources says what a
resource is; `q` is the search, as on the search page)."""

from datetime import date

import django_filters
from ninja import Schema

from portal.models import Event, Figure, Organisation, Place, Programme
from portal.resources import RecordOut, by_slug, page_url, slug_of, slugs_of
from search.filters import SearchFilter


class EventOut(RecordOut):
    kind: str
    parent: str | None
    date_as_written: str
    date_as_written_en: str
    start_date: date | None
    end_date: date | None
    date_is_inferred: bool
    place: str | None
    theme: str
    theme_en: str
    hosts: list[str]

    @staticmethod
    def resolve_parent(event) -> str | None:
        return slug_of(event.parent)

    @staticmethod
    def resolve_place(event) -> str | None:
        return slug_of(event.place)

    @staticmethod
    def resolve_hosts(event) -> list[str]:
        return slugs_of(event.hosts)


class OrganisationOut(RecordOut):
    kind: str
    short_names: str
    parent: str | None
    place: str | None

    @staticmethod
    def resolve_parent(organisation) -> str | None:
        return slug_of(organisation.parent)

    @staticmethod
    def resolve_place(organisation) -> str | None:
        return slug_of(organisation.place)


class FigureOut(RecordOut):
    topic: str
    value: float | None
    value_max: float | None
    unit: str
    precision: str
    phrase: str
    is_headline: bool
    event: str | None
    organisation: str | None
    printed: str
    unit_en: str

    @staticmethod
    def resolve_value(figure) -> float | None:
        return None if figure.value is None else float(figure.value)

    @staticmethod
    def resolve_value_max(figure) -> float | None:
        return None if figure.value_max is None else float(figure.value_max)

    @staticmethod
    def resolve_event(figure) -> str | None:
        return slug_of(figure.event)

    @staticmethod
    def resolve_organisation(figure) -> str | None:
        return slug_of(figure.organisation)


class ProgrammeOut(RecordOut):
    kind: str
    organisations: list[str]

    @staticmethod
    def resolve_organisations(programme) -> list[str]:
        return slugs_of(programme.organisations)


class PlaceOut(RecordOut):
    kind: str
    parent: str | None

    @staticmethod
    def resolve_parent(place) -> str | None:
        return slug_of(place.parent)


class CreditNameOut(Schema):
    name: str
    name_en: str


class CreditOut(Schema):
    """A credit line printed at the end of a report, its role as printed
    (文, 图, 责任编辑, 审稿, 终审, 编辑)."""

    role: str
    names: list[CreditNameOut]


class ReportOut(Schema):
    """A source report: what citations' `report` names."""

    slug: str
    file_name: str
    title: str
    title_is_ours: bool
    subtitle: str
    title_en: str
    publisher: str
    credits: list[CreditOut]
    date_as_written: str
    date_as_written_en: str
    year: int | None
    year_is_inferred: bool
    year_reasoning: str
    year_reasoning_en: str
    description: str
    description_en: str
    url: str

    @staticmethod
    def resolve_url(report) -> str:
        return page_url(report)


class EventFilter(SearchFilter):
    parent = by_slug(Event)
    place = by_slug(Place)

    class Meta:
        model = Event
        fields = ["q", "kind", "parent", "place"]


class OrganisationFilter(SearchFilter):
    parent = by_slug(Organisation)
    place = by_slug(Place)

    class Meta:
        model = Organisation
        fields = ["q", "kind", "parent", "place"]


class FigureFilter(SearchFilter):
    event = by_slug(Event)
    organisation = by_slug(Organisation)

    class Meta:
        model = Figure
        fields = ["q", "topic", "precision", "is_headline", "event", "organisation"]


class ProgrammeFilter(SearchFilter):
    organisation = by_slug(Organisation, "organisations")

    class Meta:
        model = Programme
        fields = ["q", "kind", "organisation"]


class PlaceFilter(django_filters.FilterSet):
    parent = by_slug(Place)

    class Meta:
        model = Place
        fields = ["kind", "parent"]
