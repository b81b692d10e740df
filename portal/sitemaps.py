from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from craftsmen.models import Academy, Person
from exhibits.models import Exhibit
from portal.models import Event, Organisation, Report


class StaticPages(Sitemap):
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
            "sources:list",
            "data",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


class RecordPages(Sitemap):
    """Every published record that has a page of its own."""

    i18n = True
    alternates = True
    x_default = True

    def __init__(self, model) -> None:
        self.model = model

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, record):
        return record.updated_at


class ReportPages(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Report.objects.order_by("order")


SITEMAPS = {
    "pages": StaticPages(),
    "sources": ReportPages(),
    **{model._meta.model_name: RecordPages(model) for model in [Exhibit, Person, Academy, Event, Organisation]},
}
