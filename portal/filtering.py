"""Filter forms: active filters shown as removable chips, menus of a
bounded length with a page of all values beside them, and a select widget
fast enough for long option lists."""

import html
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms.utils import flatatt
from django.http import HttpRequest, QueryDict
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from portal.caching import cached_by_version
from portal.text import MAX_QUERY_LENGTH


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_url: str


def active_filters(request: HttpRequest, filterset) -> list[ActiveFilter]:
    """One chip per valid filter in use; each links to the same list without
    that filter (and back to page 1)."""
    if not filterset.is_bound:
        return []
    filterset.form.is_valid()
    chips = []
    for name, field in filterset.form.fields.items():
        if name == "sort" or name in filterset.form.errors:
            continue
        value = filterset.form.cleaned_data.get(name)
        if value in (None, "", []):
            continue
        remaining = request.GET.copy()
        remaining.pop(name, None)
        remaining.pop("page", None)
        query = remaining.urlencode()
        display = getattr(value, "display_name", None) or str(value)
        chips.append(ActiveFilter(str(field.label), display, f"{request.path}?{query}" if query else request.path))
    return chips


def counted_options(filterset, name: str) -> QuerySet:
    """The options of a model choice filter, each annotated `uses`: how many
    records the list would show with it (the filterset's own queryset, so
    published ones only). One query, whatever the number of options: a
    count per option, grouped inside a subquery.

    The options are public records (a name and an English name, a slug).
    The path from a record to the option is the filter's field name, or,
    for a filter with a method of its own, the filterset's
    `counted_through[name]`: (path, Q of what else must hold)."""
    field = filterset.form.fields[name]
    path, condition = getattr(filterset, "counted_through", {}).get(name, (filterset.filters[name].field_name, Q()))
    uses = (
        filterset.queryset.filter(condition, **{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return field.queryset.annotate(uses=Coalesce(Subquery(uses, output_field=IntegerField()), 0))


def bounded_menus(request: HttpRequest, filterset, values_url: Callable[[str], str]) -> None:
    """Give each model choice filter's menu at most FILTER_OPTIONS_SHOWN
    options: all of them when there are no more, in their usual order;
    otherwise the most used (by count, then name), the selected value if it
    is not among them, and, as the field's `values_url`, a link to the page
    of all values (values_url(name), keeping the list's other filters).

    The options come from the cache until the content version changes:
    on a large site a menu's query reads the whole exhibit table, and
    the options only change when the content does. Validating a submitted
    value still asks the database."""
    limit = settings.FILTER_OPTIONS_SHOWN
    for name, field in filterset.form.fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        key = f"menu:{type(filterset).__name__}:{name}:{get_language()}:{limit}"
        shown, total = cached_by_version(
            request, key, lambda name=name, field=field: _menu(filterset, name, field, limit)
        )
        choices = [("", str(field.empty_label))] if field.empty_label is not None else []
        choices += shown
        if total > limit:
            selected = None
            if filterset.is_bound:
                filterset.form.is_valid()  # cleaned_data, also when another filter is invalid
                selected = filterset.form.cleaned_data.get(name)
            value = None if selected is None else str(field.prepare_value(selected))
            if value is not None and all(value != option for option, _ in shown):
                choices.append((value, field.label_from_instance(selected)))
            # The static site renders the values page once, without the
            # list's other filters (a static host ignores the query).
            others = "" if settings.STATIC_SITE_BUILD else list_filters(filterset, request.GET, leave_out=name)
            field.values_url = values_url(name) + (f"?{urlencode({'list': others})}" if others else "")
        field.widget.choices = choices


@dataclass
class FilterLink:
    label: str
    url: str
    # aria-current: "page" for a link to this very page, "true" for the
    # value in use of a menu whose link leads elsewhere, "" otherwise.
    current: str


@dataclass
class FilterLinks:
    name: str
    label: str
    links: list[FilterLink]
    values_url: str


def single_value_links(request: HttpRequest, filterset) -> list[FilterLinks]:
    """The filter form as links, for the static site, where a form's query
    would land on the unfiltered list: each menu (as bounded_menus left it,
    which must run first) becomes a link per option to the list filtered by
    that value alone (the build renders one page per value), the value in
    use marked current. The first option (all, or the report's order) links
    to the list itself."""
    here = request.get_full_path()
    groups = []
    for name, field in filterset.form.fields.items():
        choices = list(getattr(field.widget, "choices", []))
        if not choices:
            continue
        used = request.GET.get(name, "")
        links = []
        for index, (value, label) in enumerate(choices):
            value = "" if value is None else str(value)
            url = request.path if index == 0 else f"{request.path}?{urlencode({name: value})}"
            in_use = used == value or (index == 0 and not used)
            links.append(FilterLink(str(label), url, ("page" if url == here else "true") if in_use else ""))
        groups.append(FilterLinks(name, str(field.label), links, getattr(field, "values_url", "")))
    return groups


def _menu(filterset, name: str, field: forms.ModelChoiceField, limit: int) -> tuple[list[tuple[str, str]], int]:
    """(the options shown, how many there are)."""
    options = list(counted_options(filterset, name))
    total = len(options)
    if total > limit:
        options = sorted(options, key=lambda option: (-option.uses, option.name, option.slug))[:limit]
    return [(str(field.prepare_value(option)), str(field.label_from_instance(option))) for option in options], total


def list_filters(filterset, query: QueryDict, leave_out: str, value: str = "") -> str:
    """The list's filters in `query` but `leave_out` (and the page), set to
    `value` when one is given, as a query string in the filterset's order
    (the list's canonical one, so a link to it is not redirected)."""
    kept = QueryDict(mutable=True)
    for name in filterset.filters:
        values = [value] if name == leave_out else query.getlist(name)
        if values := [v for v in values if v]:
            kept.setlist(name, values)
    return kept.urlencode()


@dataclass
class FilterValue:
    label: str
    uses: int
    url: str


@dataclass
class ValuePage:
    page: Page  # of FilterValue
    query: str  # the search, as used
    list_query: str  # the list's other filters, as the links keep them
    names_what_it_serves: bool  # False when `list` held anything else


def value_page(request: HttpRequest, filterset, name: str, list_url: str, per_page: int) -> ValuePage:
    """Every value of a filter, most used first, searchable (`q`, in the
    name or the English name), each a link to the list filtered by it with
    the list's other filters (`list`, the list's query string) kept: the
    page a bounded menu links to, and one that needs no script."""
    field = filterset.form.fields[name]
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    options = counted_options(filterset, name)
    if query:
        options = options.filter(Q(name__icontains=query) | Q(name_en__icontains=query))
    page = Paginator(options.order_by("-uses", "name", "slug"), per_page).get_page(request.GET.get("page"))
    asked = request.GET.get("list", "")
    list_query = list_filters(filterset, QueryDict(asked), leave_out=name)
    values = []
    for option in page:
        link = list_filters(filterset, QueryDict(list_query), leave_out=name, value=str(field.prepare_value(option)))
        values.append(FilterValue(str(field.label_from_instance(option)), option.uses, f"{list_url}?{link}"))
    page.object_list = values
    return ValuePage(page, query, list_query, names_what_it_serves=asked == list_query)


class FastSelect(forms.Select):
    """A <select> built in Python. Django renders every <option> through a
    template of its own; with dozens of options that is a large part of the
    exhibit list's time. Same
    markup, same attributes, one selected option at most, as Select does."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # A model choice iterator runs its query on every pass (and list()
        # would run a COUNT first, for its length).
        choices = list(iter(self.choices))
        if any(isinstance(label, list | tuple) for _, label in choices):
            return super().render(name, value, attrs, renderer)  # option groups: Django's own rendering
        selected = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        parts = [format_html("<select{}>", flatatt(final_attrs))]
        for option_value, label in choices:
            option = "" if option_value is None else str(option_value)
            is_selected = option in selected
            if is_selected:
                selected = set()  # a single select marks the first match only
            # The standard library's escape: the same five characters as
            # Django's, without the lazy-string wrapping, which at hundreds
            # of options cost more than the rest of the menu.
            marked = " selected" if is_selected else ""
            parts.append(f'<option value="{html.escape(option)}"{marked}>{html.escape(str(label))}</option>')
        parts.append("</select>")
        return mark_safe("\n".join(parts))
