"""The API's filters: the exhibit list page's own ExhibitFilter, and for the
other record kinds the same pattern (a search query `q` through
search.query, and choices or related records by slug)."""

import django_filters

from craftsmen.models import Academy, AcademyGroup, AcademyType, Person, Tier, TierCount
from exhibits.filters import ExhibitFilter
from portal.models import Event, Figure, Organisation, Place, Programme
from portal.text import MAX_QUERY_LENGTH
from search.query import matching_ids, parse

__all__ = ["ExhibitFilter"]


def by_slug(model, field_name: str | None = None) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name, to_field_name="slug", queryset=model.objects.published()
    )


class SearchFilter(django_filters.FilterSet):
    """`q` finds the records the search page would find for the same words."""

    q = django_filters.CharFilter(method="filter_search", max_length=MAX_QUERY_LENGTH)

    def filter_search(self, queryset, name, value):
        parsed = parse(value)
        if parsed.is_empty:
            return queryset
        return queryset.filter(pk__in=matching_ids(parsed, queryset.model))


class PersonFilter(SearchFilter):
    tier = by_slug(Tier)
    organisation = by_slug(Organisation)

    class Meta:
        model = Person
        fields = ["q", "tier", "organisation"]


class TierFilter(SearchFilter):
    class Meta:
        model = Tier
        fields = ["q", "scope"]


class TierCountFilter(django_filters.FilterSet):
    tier = by_slug(Tier)
    place = by_slug(Place)
    event = by_slug(Event)

    class Meta:
        model = TierCount
        fields = ["tier", "place", "event"]


class AcademyFilter(SearchFilter):
    type = by_slug(AcademyType, "academy_type")
    group = by_slug(AcademyGroup, "groups")
    organisation = by_slug(Organisation)

    class Meta:
        model = Academy
        fields = ["q", "type", "group", "organisation"]


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
