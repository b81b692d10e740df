"""Filter forms: active filters shown as removable chips, and a select
widget fast enough for long option lists."""

import html
from dataclasses import dataclass

from django import forms
from django.forms.utils import flatatt
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


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


def cache_choices(request: HttpRequest, filterset) -> None:
    """Give each model choice filter's menu its options from the cache,
    until the content version changes: the options are a query per menu per
    page (the organisation menu, organisations with an exhibit, cost 16 ms
    at 100,000 records) and only change when the content does. Validating a
    submitted value still asks the database."""
    from portal.caching import cached_by_version

    for name, field in filterset.form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            key = f"choices:{type(filterset).__name__}:{name}:{get_language()}"
            field.widget.choices = cached_by_version(
                request, key, lambda field=field: [(str(value), str(label)) for value, label in field.choices]
            )


class FastSelect(forms.Select):
    """A <select> built in Python. Django renders every <option> through a
    template of its own; with a few hundred options (the organisation filter
    at 100,000 records) that was two thirds of the exhibit list's time. Same
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
