"""Bad input never yields a server error: every kind of odd query string or
path gets a normal page (with a clear message where a filter was invalid),
400 or 404. Run on SQLite and on PostgreSQL (which refuses NUL in text)."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.public_urls import ENGLISH_PATHS, LIST_PATHS, PUBLIC_PATHS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]

# The pages that read their query string get every odd query; the others
# (which ignore it) one of each kind of odd value.
PAGES_WITH_PARAMETERS = ["/exhibits/", "/search/"]
OTHER_PAGES = [path for path in LIST_PATHS if path != "/exhibits/"]
OTHER_PAGES += ["/en/exhibits/", "/en/", "/craftsmen/gao-fenglin/"]

ODD_VALUES = [
    "",
    "nope",
    "' OR 1=1 --",
    "%25",
    "%FF%FE",  # invalid UTF-8
    "%C3%28",  # a broken two-byte sequence
    "%ED%A0%80",  # an encoded surrogate
    "caf%C3%A9",  # NFC é
    "cafe%CC%81",  # NFD é
    "%E7%A8%80%E2%80%8B%E5%9C%9F",  # 稀, zero-width space, 土
    "%E2%80%AEgao%E2%80%AC",  # right-to-left override around a name
    "%EF%BB%BFgao",  # a byte-order mark
    "%F0%9F%98%80",  # an emoji
    "[]",
    "1;DROP TABLE exhibits_exhibit",
]
OVERLONG_VALUES = ["x" * 5000, "%E7%A8%80" * 2000]
BAD_PAGES = ["0", "-1", "abc", "1.5", "1e9", "999999999999999999999999", "NaN", "inf", "0x10", "%D9%A3", "", " 1"]
FILTERS = ["q", "type", "sector", "kind", "area", "organisation", "tier", "sort", "fragment"]


def bad_query_strings() -> list[str]:
    queries = [f"{name}={value}" for name in FILTERS for value in ODD_VALUES]
    queries += [f"{name}={value}" for name in ("q", "sector", "page") for value in OVERLONG_VALUES]
    queries += [f"page={value}" for value in BAD_PAGES]
    queries += ["page=2&page=abc", "page[]=1", "unknown=1", "__proto__=x", "=", "&&&", "a=%", "%=1", "q", "sort=-"]
    return queries


BAD_QUERIES = bad_query_strings()
SOME_BAD_QUERIES = [f"x={value}" for value in ODD_VALUES + OVERLONG_VALUES] + [f"page={value}" for value in BAD_PAGES]


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("path", "queries"),
    [(path, BAD_QUERIES) for path in PAGES_WITH_PARAMETERS] + [(path, SOME_BAD_QUERIES) for path in OTHER_PAGES],
    ids=PAGES_WITH_PARAMETERS + OTHER_PAGES,
)
def test_no_odd_query_string_gets_a_server_error(anonymous, path, queries):
    failures = []
    for query in queries:
        # List pages redirect a query with empty parameters to one without
        # them (once: the target is canonical).
        response = anonymous.get(f"{path}?{query}", follow=True)
        if response.status_code not in (200, 400, 404) or len(response.redirect_chain) > 1:
            failures.append(f"{path}?{query[:80]} -> {response.redirect_chain} {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("name", ["sector", "kind", "area", "organisation", "tier", "sort"])
@pytest.mark.parametrize("value", ["nope", "%FF", "cafe%CC%81", "x" * 300])
def test_an_invalid_filter_value_gives_the_list_with_a_clear_message(anonymous, name, value):
    response = anonymous.get(f"/exhibits/?{name}={value}")
    assert response.status_code == 200
    assert "部分筛选条件无效，已忽略" in response.content.decode()


@pytest.mark.parametrize("page", BAD_PAGES)
def test_a_bad_page_number_gives_a_page_of_the_list(anonymous, page):
    # An empty one is dropped by a redirect first.
    response = anonymous.get(f"/exhibits/?page={page}", follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/exhibits/?q=%00",
        "/exhibits/?sector=%00",
        "/exhibits/?%00=1",
        "/exhibits/?sector=a%00b",
        "/exhibits/?sector=a\x00b",
        "/search/?q=稀土&type=%00",
        "/exhibits/%00/",
        "/craftsmen/gao%00fenglin/",
        "/%00",
        "/en/sources/%00/",
        "/static/css/portal%00.css",
        "/admin/%00/",
    ],
)
def test_a_nul_byte_anywhere_in_the_address_gets_400(anonymous, url):
    assert anonymous.get(url).status_code == 400


def test_over_a_thousand_parameters_get_400(anonymous):
    query = "&".join(f"p{i}=1" for i in range(1001))
    for path in ["/exhibits/", "/search/"]:
        response = anonymous.get(f"{path}?{query}")
        assert response.status_code == 400, path
        assert "参数过多" in response.content.decode()


def test_a_thousand_parameters_are_still_fine(anonymous):
    query = "&".join(f"p{i}=1" for i in range(999))
    assert anonymous.get(f"/exhibits/?{query}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/exhibits/%FF/",
        "/craftsmen/%C3%28/",
        "/craftsmen/gao-fenglin%E2%80%8B/",
        "/craftsmen/%E2%80%AEgao-fenglin/",
        "/exhibits/cafe%CC%81/",
        "/sources/" + "x" * 3000 + "/",
        "/organisations/%F0%9F%98%80/",
        "/en/events/%ED%A0%80/",
    ],
)
def test_odd_paths_get_404(anonymous, path):
    assert anonymous.get(path).status_code == 404


# Query strings from raw bytes: any byte, percent-encoded or not, any key.
RAW_BYTES = st.binary(max_size=40).map(lambda raw: "".join(f"%{byte:02X}" for byte in raw))
TEXT = st.text(max_size=30).map(lambda text: text.replace("#", "%23"))
PARAMETER_NAMES = st.sampled_from([*FILTERS, "page", "x", ""]) | TEXT
VALUES = RAW_BYTES | TEXT | st.integers().map(str)
QUERY_STRINGS = st.lists(st.tuples(PARAMETER_NAMES, VALUES), max_size=6).map(
    lambda pairs: "&".join(f"{name}={value}" for name, value in pairs)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERY_STRINGS, path=st.sampled_from(PUBLIC_PATHS + ENGLISH_PATHS + ["/search/", "/en/search/"]))
def test_random_query_strings_never_get_a_server_error(anonymous, path, query):
    response = anonymous.get(f"{path}?{query}")
    assert response.status_code < 500, f"{path}?{query} -> {response.status_code}"
