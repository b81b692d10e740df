import copy
from collections.abc import Callable, Sequence
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils.functional import cached_property

from portal import sitemap_sections
from portal.models import Report


def on_site_url(view: Callable) -> Callable:
    """Django's sitemap views take the host from the request (there is no
    sites framework here); with SITE_URL set they get it from there, and
    OnSiteURL gives them its scheme."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.SITE_URL:
            # A copy: the page cache keys the original request by its host.
            request = copy.copy(request)
            netloc = urlsplit(settings.SITE_URL).netloc
            request.get_host = lambda: netloc
        return view(request, *args, **kwargs)

    return wrapped


class OnSiteURL(Sitemap):
    @property
    def protocol(self) -> str | None:
        return urlsplit(settings.SITE_URL).scheme if settings.SITE_URL else None


class StaticPages(OnSiteURL):
    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list[str]:
        return [
            "home",
            "figures",
            "exhibits:list",
            "craftsmen:index",
            "pilot-units",
            "academies:list",
            "events:list",
            "organisation-list",
            "sources:list",
            "data",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


class _RecordsPerLanguage(Sequence):
    """(record, language) pairs of a queryset ordered by pk, as Django's
    i18n sitemaps page them, with only the page's records read. Django
    builds the pairs as a list of every record, for each sitemap page and
    for the index."""

    def __init__(self, records: QuerySet, languages: list[str]) -> None:
        self.records = records
        self.languages = languages

    def __len__(self) -> int:
        return self.length

    @cached_property
    def length(self) -> int:
        return self.records.count() * len(self.languages)

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("only contiguous slices are supported")
        start, stop, _ = index.indices(len(self))
        per_record = len(self.languages)
        first, last = start // per_record, -(-stop // per_record)
        # The page's ids first: an OFFSET into whole rows sorted by id makes
        # SQLite sort every row; an OFFSET into ids reads the primary key.
        ids = list(self.records.values_list("pk", flat=True)[first:last])
        pairs = [(record, language) for record in self.records.filter(pk__in=ids) for language in self.languages]
        offset = first * per_record
        return pairs[start - offset : stop - offset]


class RecordPages(OnSiteURL):
    """Every published record that has a page of its own."""

    # Addresses per sitemap page (each record once per language, with its
    # alternates), well inside the protocol's 50,000 addresses and 50 MB.
    # The index lists the pages.
    limit = 2000
    i18n = True
    alternates = True
    x_default = True

    def __init__(self, model) -> None:
        self.model = model

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, record):
        # The static build leaves the date out: it is when a record was
        # saved (or loaded), not what it says, and the same data must give
        # the same files whenever it is built.
        if settings.STATIC_SITE_BUILD:
            return None
        return record.updated_at

    @property
    def paginator(self) -> Paginator:
        return Paginator(_RecordsPerLanguage(self.items(), self._languages()), self.limit)

    def get_latest_lastmod(self):
        if settings.STATIC_SITE_BUILD:
            return None
        # Django's reads every record for this; one aggregate does.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class ReportPages(OnSiteURL):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Report.objects.order_by("order")


# The fixed sections, then one per kind of record with pages of its own,
# as each app declares them (portal.sitemap_sections), in their positions.
SITEMAPS = {
    "pages": StaticPages(),
    "sources": ReportPages(),
    **{model._meta.model_name: RecordPages(model) for model in sitemap_sections.record_page_models()},
}
