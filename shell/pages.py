"""Public pages for the records the apps share: home, figures, events,
organisations and sources."""

from dataclasses import dataclass
from itertools import groupby

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from craftsmen.models import Academy, EventRole, Person
from exhibits.models import Exhibit
from portal.caching import (
    VersionedCountPaginator,
    cached_by_version,
    keep_out_of_the_cache,
    names_what_it_serves,
    redirect_to_canonical_query,
    request_version,
)
from portal.models import (
    Citation,
    Event,
    Figure,
    Organisation,
    Programme,
    Report,
    english_requested,
    may_show,
    public_citations,
)
from portal.reports import paragraphs_of
from portal.seo import jsonld_for
from portal.text import MAX_QUERY_LENGTH
from search.highlight import highlight, snippet
from search.kinds import KIND_BY_KEY, KINDS
from search.query import SearchResults, counts_by_kind, parse


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        # A few, after the sections: the page says what the site is first.
        "headline_figures": Figure.objects.for_home_page()[:4],
        # Five COUNT(*)s over whole tables: worth keeping per content version.
        "sections": cached_by_version(request, "home-section-counts", _section_counts),
        "reports": Report.objects.all(),
        "meta_description": _(
            "北疆工匠网：内蒙古总工会两篇报道中的职工创新成果、工匠梯队、产改试点单位、工匠学院与活动，"
            "每条记录注明出处段落。"
        ),
    }
    return render(request, "portal/home.html", context)


def _section_counts() -> dict[str, int]:
    return {
        "exhibits": Exhibit.objects.published().count(),
        "people": Person.objects.published().count(),
        "academies": Academy.objects.published().count(),
        "events": Event.objects.published().count(),
        "figures": Figure.objects.published().count(),
    }


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    all_figures = Figure.objects.for_figures_page()
    topics = dict(Figure.Topic.choices)
    grouped = [
        (topic, topics.get(topic, topic), list(items)) for topic, items in groupby(all_figures, key=lambda f: f.topic)
    ]
    context = {
        "groups": grouped,
        "breadcrumbs": [(_("数字"), None)],
        "meta_description": _("两篇报道中出现的全部数字：数值、单位、原文表述与出处段落。"),
    }
    return render(request, "portal/figures.html", context)


# Top-level events per page: the reports have three (one page); the list is
# paged so that a large archive never renders as one page.
EVENTS_PAGE_SIZE = 30


@require_GET
@redirect_to_canonical_query
def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.for_list_page()
    page = VersionedCountPaginator(events, EVENTS_PAGE_SIZE, request=request).get_page(request.GET.get("page"))
    context = {
        "page": page,
        # Programmes have no page of their own (their address is an anchor
        # here), so they stay on the first page.
        "programmes": Programme.objects.for_list_page() if page.number == 1 else [],
        "breadcrumbs": [(_("活动"), None)],
        "meta_description": _("报道记载的大会、训练营、座谈会、推进会与“十大行动”，以及相关工作举措。"),
    }
    response = render(request, "portal/event_list.html", context)
    if not names_what_it_serves(request, page):
        keep_out_of_the_cache(response)
    return response


@require_GET
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.for_detail_page(), slug=slug)
    breadcrumbs = [(_("活动"), reverse("events:list"))]
    if event.parent:
        breadcrumbs.append((event.parent.display_name, event.parent.get_absolute_url()))
    breadcrumbs.append((event.display_name, None))
    context = {
        "event": event,
        "record": event,
        "breadcrumbs": breadcrumbs,
        "jsonld": jsonld_for(request, event),
        "meta_description": event.display_description[:150],
    }
    return render(request, "portal/event_detail.html", context)


# Organisations per page: the reports name about a hundred (one page); a
# larger directory is paged.
ORGANISATIONS_PAGE_SIZE = 100


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Published organisations, grouped by kind (unions first), each group
    by name in the page's language."""
    organisations = Organisation.objects.for_list_page(english=english_requested())
    page = VersionedCountPaginator(organisations, ORGANISATIONS_PAGE_SIZE, request=request).get_page(
        request.GET.get("page")
    )
    kinds = dict(Organisation.Kind.choices)
    context = {
        "page": page,
        "groups": [(kind, kinds.get(kind, kind), list(items)) for kind, items in groupby(page, key=lambda o: o.kind)],
        "breadcrumbs": [(_("组织机构"), None)],
        "meta_description": _("报道中出现的工会组织、党政机关、企业、院校、媒体与场馆，按类型排列。"),
    }
    response = render(request, "portal/organisation_list.html", context)
    if not names_what_it_serves(request, page):
        keep_out_of_the_cache(response)
    return response


@require_GET
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.for_detail_page(), slug=slug)
    context = {
        "organisation": organisation,
        "record": organisation,
        "breadcrumbs": [(_("组织机构"), reverse("organisation-list")), (organisation.display_name, None)],
        "jsonld": jsonld_for(request, organisation),
        "meta_description": organisation.display_description[:150],
    }
    return render(request, "portal/organisation_detail.html", context)


@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    context = {
        # Meta.ordering does not apply to an aggregated query: order it here.
        "reports": Report.objects.annotate(
            citation_total=Count("citations", filter=public_citations("citations__"))
        ).order_by("order", "pk"),
        "breadcrumbs": [(_("来源"), None)],
        "meta_description": _("本站全部内容的两篇来源报道，以及每一段被哪些记录引用。"),
    }
    return render(request, "portal/source_list.html", context)


# The credit lines printed at the end of a report (report 003: "文/王瑞波 张旭
# 图/霍日查", "责任编辑:刘旭亮", "审稿:王瑞波", "终审:宇文韬", "编辑:…"). They
# are kept on the report itself (Report.credits), not as Person records: the
# people credited wrote or edited the report, they are not people of the
# work it describes.
CREDIT_LABELS = {
    "文": gettext_lazy("文字"),
    "图": gettext_lazy("摄影"),
    "责任编辑": gettext_lazy("责任编辑"),
    "审稿": gettext_lazy("审稿"),
    "终审": gettext_lazy("终审"),
    "编辑": gettext_lazy("编辑"),
}


@dataclass(frozen=True)
class CreditedName:
    """A name in a credit line, shaped like a record for `record_name`."""

    name: str
    name_en: str


def report_credits(report: Report) -> list[tuple[str, list[CreditedName]]]:
    """[(role, [names])] from the report's credit lines, in the order of
    CREDIT_LABELS; a role printed twice is one line."""
    by_role: dict[str, list[CreditedName]] = {}
    for line in report.credits:
        names = by_role.setdefault(line["role"], [])
        for entry in line["names"]:
            credited = CreditedName(entry["name"], entry["name_en"])
            if credited not in names:
                names.append(credited)
    return [(str(label), by_role[role]) for role, label in CREDIT_LABELS.items() if by_role.get(role)]


def _one_per_record(citations: list[Citation]) -> list[Citation]:
    seen, kept = set(), []
    for citation in citations:
        if (citation.content_type_id, citation.object_id) not in seen:
            seen.add((citation.content_type_id, citation.object_id))
            kept.append(citation)
    return kept


@require_GET
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    report = get_object_or_404(Report, slug=slug)
    citations = (
        Citation.objects.filter(report=report)
        .select_related("content_type")
        # A role's address is its event's page: without its event, one
        # query per role cited.
        .prefetch_related(GenericPrefetch("record", [EventRole.objects.select_related("event")]))
        .order_by("paragraph", "content_type__model", "object_id", "order")
    )
    texts = paragraphs_of(report.file_name)
    paragraphs = [
        (number, [c for c in group if may_show(c.record)])
        for number, group in groupby(citations, key=lambda c: c.paragraph)
    ]
    paragraphs = [
        (number, texts[number - 1] if texts and number <= len(texts) else "", items)
        for number, items in paragraphs
        if items
    ]
    if texts is not None:
        # With the paragraph's text shown, a record quoting it twice is one
        # entry: the reader wants which records cite it, not each excerpt.
        paragraphs = [(number, text, _one_per_record(items)) for number, text, items in paragraphs]
    credits = report_credits(report)
    context = {
        "report": report,
        "paragraphs": paragraphs,
        "has_text": texts is not None,
        "credits": credits,
        # The unit printed as the report's editor is its only issuing body;
        # listed among the credits, it is not repeated as the publisher.
        "show_publisher": bool(report.publisher)
        and all(report.publisher != n.name for _, names in credits for n in names),
        "breadcrumbs": [(_("来源"), reverse("sources:list")), (report.display_title, None)],
        "meta_description": report.description_en if english_requested() else report.description,
    }
    return render(request, "portal/source_detail.html", context)


SEARCH_PAGE_SIZE = 20


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    query = query[:MAX_QUERY_LENGTH]
    parsed = parse(query)
    version = request_version(request)
    counts = counts_by_kind(parsed, version)
    kind = request.GET.get("type", "")
    if kind not in KIND_BY_KEY:
        kind = ""
    results = SearchResults(parsed, kind, counts, version)
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    english = english_requested()
    needles = parsed.needles
    hits = [
        {
            "url": ("/en" if english else "") + document.path,
            "title": highlight(document.title, needles),
            "title_en": highlight(document.title_en, needles) if english and document.title_en else "",
            "kind": KIND_BY_KEY[document.kind].label,
            # The record's own description in the page's language, never
            # the other language's (an English page without one shows none).
            "snippet": snippet(document.text_en, needles, width=160, on_words=True)
            if english
            else snippet(document.text, needles),
        }
        for document in page
    ]
    facets = [
        {"key": k.key, "label": k.label, "count": counts.get(k.key, 0), "active": k.key == kind}
        for k in KINDS
        if counts.get(k.key)
    ]
    context = {
        "query": query,
        "parsed": parsed,
        "page": page,
        "hits": hits,
        "facets": facets,
        "total": sum(counts.values()),
        # What the heading counts: the results shown, of the active kind.
        "shown": results.count(),
        "kind": kind,
        "kind_label": KIND_BY_KEY[kind].label if kind else "",
        "breadcrumbs": [(_("搜索"), None)],
        # The static build's search page names every kind (static/js/static-search.js).
        "search_kinds": KINDS,
        "meta_description": _(
            "在全部记录中搜索：展品、人物、梯队、试点单位、工匠学院、活动、组织机构与数字。支持拼音与英文。"
        ),
    }
    template = "portal/search.html#results" if request.GET.get("fragment") == "results" else "portal/search.html"
    response = render(request, template, context)
    # A search that finds nothing is cheap and says nothing worth keeping;
    # random words (each a key of its own) are kept out of the cache.
    if not names_what_it_serves(request, page) or not context["total"]:
        keep_out_of_the_cache(response)
    return response
