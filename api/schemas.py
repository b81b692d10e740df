"""What the API's search endpoint returns; each kind of record's schema is
declared by its app (portal.resources says what a resource is)."""

from ninja import Schema


class SearchHitOut(Schema):
    kind: str
    title: str
    title_en: str
    url: str

    @staticmethod
    def resolve_url(document) -> str:
        return document.path
