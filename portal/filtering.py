"""Active filters shown as removable chips."""

from dataclasses import dataclass

from django.http import HttpRequest


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
