"""What the API returns for the craftsmen app's kinds of record, and how
their lists filter (portal.resources says what a resource is; `q` is the
search, as on the search page)."""

import django_filters

from craftsmen.models import Academy, AcademyGroup, AcademyType, Person, Tier, TierCount
from portal.models import Event, Organisation, Place
from portal.resources import RecordOut, by_slug, slug_of, slugs_of
from search.filters import SearchFilter


class PersonOut(RecordOut):
    title: str
    title_en: str
    organisation: str | None
    tier: str | None
    tier_basis: str

    @staticmethod
    def resolve_organisation(person) -> str | None:
        return slug_of(person.organisation)

    @staticmethod
    def resolve_tier(person) -> str | None:
        return slug_of(person.tier)


class TierOut(RecordOut):
    scope: str
    rank: int
    is_trainee: bool
    ladder_role: str
    ladder_role_en: str
    region: str | None

    @staticmethod
    def resolve_region(tier) -> str | None:
        return slug_of(tier.region)


class TierCountOut(RecordOut):
    tier: str | None
    place: str | None
    event: str | None
    count: int
    unit: str
    phrase: str

    @staticmethod
    def resolve_tier(count) -> str | None:
        return slug_of(count.tier)

    @staticmethod
    def resolve_place(count) -> str | None:
        return slug_of(count.place)

    @staticmethod
    def resolve_event(count) -> str | None:
        return slug_of(count.event)


class PilotCategoryOut(RecordOut):
    count: int
    unit: str
    phrase: str


class PilotBatchOut(RecordOut):
    number: int
    categories: list[PilotCategoryOut]

    @staticmethod
    def resolve_categories(batch) -> list:
        return list(batch.categories.all())


class AcademyOut(RecordOut):
    academy_type: str | None
    groups: list[str]
    organisation: str | None
    recognition: str
    recognition_en: str
    recognised_by: str | None

    @staticmethod
    def resolve_academy_type(academy) -> str | None:
        return slug_of(academy.academy_type)

    @staticmethod
    def resolve_groups(academy) -> list[str]:
        return slugs_of(academy.groups)

    @staticmethod
    def resolve_organisation(academy) -> str | None:
        return slug_of(academy.organisation)

    @staticmethod
    def resolve_recognised_by(academy) -> str | None:
        return slug_of(academy.recognised_by)


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
