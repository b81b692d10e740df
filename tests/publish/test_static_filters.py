"""The exhibit list's filters in the static build: without JavaScript, links
to one pre-rendered page per value, each holding what the live list holds
for that value; with it, a data file over which the browser filters any
combination (static/js/static-filters.js, mirrored here by
`browser_answer`), holding the live list's answer and the server's rows."""

import html
import itertools
import json
import re

import pytest
from django.test import Client

from exhibits.filters import ExhibitFilter
from exhibits.models import Exhibit
from publish.addresses import file_for
from publish.build import _resolves

pytestmark = pytest.mark.django_db

LANGUAGES = ["", "/en"]
CARD_LINK = re.compile(r'<h3 class="card-title"><a href="([^"]+)"')


@pytest.fixture(scope="module")
def live(built_site, portal_data) -> Client:
    """The live site over the same data the build was made of."""
    return Client()


def menus() -> dict[str, list[str]]:
    """Each menu of the live list's form and the values it offers."""
    form = ExhibitFilter(queryset=Exhibit.objects.none()).form
    found = {}
    for name, field in form.fields.items():
        if name == "q":
            continue
        if name == "sort":
            found[name] = [value for value, _ in field.choices]
        else:
            found[name] = [str(field.prepare_value(option)) for option in field.queryset]
    return found


def live_answer(live: Client, address: str) -> tuple[int, list[str]]:
    """(how many exhibits the live list counts, the links of its rows)."""
    response = live.get(address)
    assert response.status_code == 200, address
    text = response.content.decode()
    return int(re.search(r'data-result-count="(\d+)"', text).group(1)), CARD_LINK.findall(text)


def built_rows(built_site, address: str) -> list[str]:
    path, _, query = address.partition("?")
    return CARD_LINK.findall((built_site / file_for(path, query)).read_text(encoding="utf-8"))


def data_files(built_site, prefix: str) -> tuple[dict, list[str]]:
    folder = built_site / prefix.lstrip("/") / "exhibits"
    index = json.loads((folder / "filter-data.json").read_text(encoding="utf-8"))
    rows = []
    for name in index["row_files"]:
        rows += json.loads((folder / name).read_text(encoding="utf-8"))
    return index, rows


def browser_answer(index: dict, chosen: dict[str, str]) -> list[int]:
    """The records static-filters.js shows for chosen filters (and sort), in order."""
    tests = []
    for name, value in chosen.items():
        if name == "sort":
            continue
        if value not in index["values"][name]:
            return []
        tests.append((index["fields"].index(name), index["values"][name].index(value)))
    sort = chosen.get("sort", "")
    order = index["orders"].get(sort.lstrip("-"), list(range(len(index["records"]))))
    if sort.startswith("-"):
        order = order[::-1]
    return [record for record in order if all(value in index["records"][record][column] for column, value in tests)]


def link_of(row: str) -> str:
    return CARD_LINK.search(row).group(1)


def query(chosen: dict[str, str]) -> str:
    return "&".join(f"{name}={value}" for name, value in chosen.items())


def test_every_filter_link_of_the_static_list_leads_to_a_built_page(built_site, live):
    for prefix in LANGUAGES:
        page = (built_site / prefix.lstrip("/") / "exhibits/index.html").read_text(encoding="utf-8")
        panel = re.search(r'<nav class="filter-links".*?</nav>', page, re.S).group(0)
        links = [html.unescape(link) for link in re.findall(r'href="([^"]+)"', panel)]
        offered = sum(len(values) for values in menus().values())
        # An "all" link per menu but the order's, whose first value is it.
        assert len(links) == offered + len(menus()) - 1
        for link in links:
            assert "?" not in link and _resolves(built_site, link), link


def test_the_build_renders_a_page_per_value_of_every_menu_holding_the_live_lists_answer(built_site, live):
    for prefix in LANGUAGES:
        for name, values in menus().items():
            for position, value in enumerate(values):
                _, rows = live_answer(live, f"{prefix}/exhibits/?{name}={value}")
                # The report's order is the list's own: its link is the list.
                built = (
                    f"{prefix}/exhibits/" if name == "sort" and position == 0 else f"{prefix}/exhibits/?{name}={value}"
                )
                assert built_rows(built_site, built) == rows, built


def test_the_value_in_use_is_marked_current_on_its_own_page(built_site, live):
    page = (built_site / "exhibits/~sector=xitu/index.html").read_text(encoding="utf-8")
    panel = re.search(r'<nav class="filter-links".*?</nav>', page, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', panel) == ["/exhibits/~sector=xitu/"]
    # The other menus' "all": the value in use there, on another page.
    assert panel.count('aria-current="true"') == len(menus()) - 1


def test_the_static_list_sends_the_keyword_to_the_search_page(built_site):
    for prefix in LANGUAGES:
        page = (built_site / prefix.lstrip("/") / "exhibits/index.html").read_text(encoding="utf-8")
        assert f'action="{prefix}/search/"' in page
        assert _resolves(built_site, f"{prefix}/search/")
        assert 'name="q"' not in page.split("data-static-filters", 1)[1].split("</form>", 1)[0]


def test_the_data_file_gives_the_live_lists_answer_for_every_single_value(built_site, live):
    for prefix in LANGUAGES:
        index, rows = data_files(built_site, prefix)
        for name, values in menus().items():
            for value in values:
                count, live_rows = live_answer(live, f"{prefix}/exhibits/?{name}={value}")
                found = browser_answer(index, {name: value})
                assert len(found) == count, (prefix, name, value)
                assert [link_of(rows[record]) for record in found][: len(live_rows)] == live_rows


def test_the_data_file_gives_the_live_lists_answer_for_combinations(built_site, live):
    offered = {name: values for name, values in menus().items() if name != "sort"}
    combinations = [
        {first: a, second: b}
        for first, second in itertools.combinations(offered, 2)
        for a in offered[first]
        for b in offered[second]
    ]
    combinations += [{**chosen, "sort": "-name"} for chosen in combinations[::7]]
    assert len(combinations) > 20
    nonempty = 0
    for prefix in LANGUAGES:
        index, rows = data_files(built_site, prefix)
        for chosen in combinations:
            count, live_rows = live_answer(live, f"{prefix}/exhibits/?{query(chosen)}")
            found = browser_answer(index, chosen)
            assert len(found) == count, (prefix, chosen)
            assert [link_of(rows[record]) for record in found][: len(live_rows)] == live_rows, (prefix, chosen)
            nonempty += bool(count)
    assert nonempty >= 4  # the combinations find something, not only nothing


def test_the_data_files_rows_are_the_servers_rows(built_site):
    for prefix in LANGUAGES:
        index, rows = data_files(built_site, prefix)
        page = (built_site / prefix.lstrip("/") / "exhibits/index.html").read_text(encoding="utf-8")
        listed = re.search(r'<ul class="card-list exhibit-list">\s*(.*?)\s*</ul>\s*\n\s*(<nav|</section>)', page, re.S)
        served = re.findall(r'<li class="card">.*?\n</li>', listed.group(1), re.S)
        assert len(served) == len(index["records"]) == len(rows)
        assert served == rows


def test_the_list_page_names_its_data_file_and_the_file_is_small(built_site):
    for prefix in LANGUAGES:
        page = (built_site / prefix.lstrip("/") / "exhibits/index.html").read_text(encoding="utf-8")
        assert f'data-filter-data="{prefix}/exhibits/filter-data.json"' in page
        index_file = built_site / prefix.lstrip("/") / "exhibits/filter-data.json"
        # Tens of bytes an exhibit, whatever the number of exhibits.
        assert index_file.stat().st_size < 200 * max(1, len(json.loads(index_file.read_text())["records"]))
