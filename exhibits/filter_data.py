"""The exhibit list's filters as data, for the static site: the browser
filters over it (static/js/static-filters.js) as the live list's form does
on the server, and shows each result with the row the server renders.

The index holds, for each exhibit in the list's order, the values it has
of each filter (as positions in that filter's list of values), and the
list's other orders as permutations; the rows' HTML comes in files of
ROWS_PER_FILE, so the browser fetches only the files holding the rows it
shows. Which exhibits have which value is asked of the list's own filters,
one value at a time: the same answer as the live list's, by construction.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from exhibits.filters import ExhibitFilter
from exhibits.models import Exhibit

# The menus the browser filters on (the keyword goes to the search page).
FILTERED_ON = ("sector", "kind", "area", "organisation", "tier")
ROWS_PER_FILE = 500
ROW_FILE = "filter-rows-{}.json"


def list_order():
    return Exhibit.objects.for_list_page().order_by("order", "slug")


def filter_data() -> tuple[dict, list[list[str]]]:
    """(the index, the rows' HTML in files) in the active language."""
    exhibits = list(list_order())
    position = {exhibit.pk: index for index, exhibit in enumerate(exhibits)}
    records: list[list[list[int]]] = [[[] for _ in FILTERED_ON] for _ in exhibits]
    values: dict[str, list[str]] = {}
    menus = ExhibitFilter(queryset=Exhibit.objects.none()).form.fields
    for column, name in enumerate(FILTERED_ON):
        field = menus[name]
        values[name] = []
        for option in field.queryset.order_by("slug"):
            slug = str(field.prepare_value(option))
            found = ExhibitFilter({name: slug}, queryset=Exhibit.objects.for_list_page()).qs
            pks = sorted(found.order_by().values_list("pk", flat=True), key=position.__getitem__)
            if not pks:
                continue
            index = len(values[name])
            values[name].append(slug)
            for pk in pks:
                records[position[pk]][column].append(index)
    orders = {}
    sort = ExhibitFilter(queryset=Exhibit.objects.none()).form.fields["sort"]
    for key, _ in sort.choices:
        if key.startswith("-"):
            continue  # the browser reverses the ascending order
        ordered = ExhibitFilter({"sort": key}, queryset=Exhibit.objects.for_list_page()).qs
        permutation = [position[pk] for pk in ordered.values_list("pk", flat=True)]
        if permutation != list(range(len(exhibits))):
            orders[key] = permutation
    rows = [render_to_string("includes/exhibit_card.html", {"exhibit": exhibit}).strip() for exhibit in exhibits]
    files = [rows[start : start + ROWS_PER_FILE] for start in range(0, len(rows), ROWS_PER_FILE)]
    index = {
        "fields": list(FILTERED_ON),
        "values": values,
        "records": records,
        "orders": orders,
        "rows_per_file": ROWS_PER_FILE,
        "row_files": [ROW_FILE.format(number) for number in range(len(files))],
    }
    return index, files
