"""What the API returns for an exhibit (portal.resources says what a
resource is); its list filters are the list page's own ExhibitFilter."""

from portal.models import shown_related
from portal.resources import RecordOut, slug_of, slugs_of


class ExhibitOut(RecordOut):
    exhibition: str | None
    area: str | None
    kind: str | None
    organisation: str | None
    sectors: list[str]
    makers: list[str]
    makers_as_written: str
    makers_as_written_en: str
    problem: str
    problem_en: str
    how_it_works: str
    how_it_works_en: str

    @staticmethod
    def resolve_exhibition(exhibit) -> str | None:
        return slug_of(shown_related(exhibit, "exhibition"))

    @staticmethod
    def resolve_area(exhibit) -> str | None:
        return slug_of(exhibit.area)

    @staticmethod
    def resolve_kind(exhibit) -> str | None:
        return slug_of(exhibit.kind)

    @staticmethod
    def resolve_organisation(exhibit) -> str | None:
        return slug_of(exhibit.organisation)

    @staticmethod
    def resolve_sectors(exhibit) -> list[str]:
        return slugs_of(exhibit.sectors)

    @staticmethod
    def resolve_makers(exhibit) -> list[str]:
        return slugs_of(exhibit.makers)
