"""The portal's own links: the language switch never leaves the site, and
with SITE_URL set every absolute address starts with it, whatever Host
header (and port) the request came with."""

import json
import re
from html import unescape
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from django.test import RequestFactory

from portal.addresses import absolute_url, other_language_path, safe_path
from tests import factories as make
from tests.exhibits.test_labels import decode, qr_codes

pytestmark = pytest.mark.django_db

SITE = "https://portal.example.org"
# Allowed by the test settings' ALLOWED_HOSTS, which does not look at ports.
ODD_HOST = "127.0.0.1:9999"

# Paths a browser would read as another site if written back as a link:
# scheme-relative, backslash (read as a slash), and their encoded forms.
HOSTILE_PATHS = [
    "//evil.example/",
    "//evil.example",
    "///evil.example/",
    "/\\evil.example",
    "/\\/evil.example/",
    "/%2F%2Fevil.example/",
    "/%2f/evil.example/",
    "/%5Cevil.example",
    "/%5C%5Cevil.example/",
    "/en//evil.example/",
    "/en/%2F%2Fevil.example/",
    "/en/\\evil.example",
    "//en/evil.example/",
]


def get_raw(client, path: str, **extra):
    """GET with the path exactly as a browser or a probe sends it: the test
    client would read `//host/` as a host, so PATH_INFO is given as a WSGI
    server gives it (percent-decoded)."""
    return client.get("/", PATH_INFO=unquote_to_bytes(path).decode("iso-8859-1"), **extra)


def language_switch(html: str) -> str:
    match = re.search(r'<a class="lang-switch" href="([^"]*)"', html)
    assert match, "no language switch on the page"
    return unescape(match.group(1))


def stays_on_the_site(href: str) -> bool:
    # What a browser does with the href: backslashes count as slashes.
    parts = urlsplit(href.replace("\\", "/"))
    return not parts.scheme and not parts.netloc and href.startswith("/") and not href.startswith("//")


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_on_a_404_the_language_switch_stays_on_the_site(client, path):
    response = get_raw(client, path)

    assert response.status_code == 404
    href = language_switch(response.content.decode())
    assert stays_on_the_site(href), href
    assert "evil.example" in href  # the same (missing) page, in the other language


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("//evil.example/", "/en/evil.example/"),
        ("/%2F%2Fevil.example/", "/en/evil.example/"),
        ("/\\evil.example", "/en/evil.example"),
        ("/en//evil.example/", "/evil.example/"),
        ("/en/\\evil.example", "/evil.example"),
        ("/no-such-page/", "/en/no-such-page/"),
        ("/en/no-such-page/", "/no-such-page/"),
    ],
)
def test_a_404_switches_to_the_same_path_in_the_other_language(client, path, expected):
    assert language_switch(get_raw(client, path).content.decode()) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "/en/"),
        ("/en/", "/"),
        ("/exhibits/", "/en/exhibits/"),
        ("/en/exhibits/?sector=x&page=2", "/exhibits/?sector=x&page=2"),
        ("/search/?q=%E7%A8%80%E5%9C%9F", "/en/search/?q=%E7%A8%80%E5%9C%9F"),
    ],
)
def test_a_page_switches_to_itself_in_the_other_language(client, path, expected):
    response = client.get(path)

    assert response.status_code == 200
    assert language_switch(response.content.decode()) == expected


def test_a_record_page_switches_to_the_record_in_the_other_language(client):
    source = make.report()
    exhibit = make.exhibit(source, exhibition=make.exhibition(source), name="风能叶片检测仪")

    assert language_switch(client.get(f"/exhibits/{exhibit.slug}/").content.decode()) == f"/en/exhibits/{exhibit.slug}/"
    # A slug that resolves but names nothing: the view's 404, reversed.
    missing = client.get("/en/exhibits/no-such-exhibit/")
    assert missing.status_code == 404
    assert language_switch(missing.content.decode()) == "/exhibits/no-such-exhibit/"


@pytest.mark.parametrize("path", HOSTILE_PATHS)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_other_language_path_is_never_scheme_relative(path, language):
    request = RequestFactory().get("/", PATH_INFO=unquote_to_bytes(path).decode("iso-8859-1"))

    assert stays_on_the_site(other_language_path(request, language))


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("//a", "/a"),
        ("/\\a", "/a"),
        ("\\\\a/b", "/a/b"),
        ("/a b/%", "/a%20b/%25"),
        ("", "/"),
        ("/展品/", "/%E5%B1%95%E5%93%81/"),
    ],
)
def test_safe_path_collapses_slashes_and_encodes(raw, safe):
    assert safe_path(raw) == safe


def test_absolute_url_refuses_what_is_not_a_path_on_the_site(rf):
    request = rf.get("/")
    with pytest.raises(ValueError):
        absolute_url(request, "//evil.example/")
    with pytest.raises(ValueError):
        absolute_url(request, "https://evil.example/")


# The site URL --------------------------------------------------------------


@pytest.fixture
def on_site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def exhibit():
    source = make.report()
    area = make.area(source, exhibition=make.exhibition(source))
    return make.exhibit(
        source,
        exhibition=area.exhibition,
        area=area,
        name="风能叶片检测仪",
        organisation=make.organisation(source, name="巴彦淖尔供电公司"),
    )


def absolute_links(html: str) -> list[str]:
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
    og_url = re.search(r'<meta property="og:url" content="([^"]+)"', html).group(1)
    return [unescape(canonical), unescape(og_url)]


def jsonld_urls(html: str) -> list[str]:
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    found = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "url":
                    found.append(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return found


def test_with_a_site_url_canonical_links_ignore_the_host_header_and_its_port(client, on_site_url, exhibit):
    for path in ["/exhibits/?page=1", f"/en/exhibits/{exhibit.slug}/"]:
        response = client.get(path, HTTP_HOST=ODD_HOST)
        assert response.status_code == 200
        assert absolute_links(response.content.decode()) == [SITE + path] * 2


def test_with_a_site_url_json_ld_links_are_on_it(client, on_site_url, exhibit):
    html = client.get(f"/exhibits/{exhibit.slug}/", HTTP_HOST=ODD_HOST).content.decode()

    urls = jsonld_urls(html)
    assert f"{SITE}/exhibits/{exhibit.slug}/" in urls
    assert urls and all(url.startswith(SITE + "/") for url in urls), urls


def test_with_a_site_url_the_sitemap_and_robots_txt_point_at_it(client, on_site_url, exhibit):
    robots = client.get("/robots.txt", HTTP_HOST=ODD_HOST).content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in robots

    index = client.get("/sitemap.xml", HTTP_HOST=ODD_HOST).content.decode()
    sections = re.findall(r"<loc>([^<]+)</loc>", index)
    assert sections and all(loc.startswith(SITE + "/sitemap-") for loc in sections), sections

    section = client.get("/sitemap-exhibit.xml", HTTP_HOST=ODD_HOST).content.decode()
    locations = re.findall(r'(?:<loc>|href=")([^<"]+)', section)
    assert f"{SITE}/exhibits/{exhibit.slug}/" in locations
    assert all(loc.startswith(SITE + "/") for loc in locations), locations


def test_with_a_site_url_api_page_links_are_on_it(client, on_site_url):
    source = make.report()
    for name in ["甲", "乙", "丙"]:
        make.place(source, name=name)

    body = client.get("/api/v1/places/?page_size=2", HTTP_HOST=ODD_HOST).json()

    assert body["next"] == f"{SITE}/api/v1/places/?page_size=2&page=2"


def test_with_a_site_url_exports_and_label_qr_codes_link_to_it(client, on_site_url, exhibit):
    csv = client.get("/exhibits/export.csv", HTTP_HOST=ODD_HOST).getvalue().decode("utf-8-sig")
    assert f"{SITE}/exhibits/{exhibit.slug}/" in csv
    assert ODD_HOST not in csv

    label = client.get(f"/exhibits/{exhibit.slug}/label/", HTTP_HOST=ODD_HOST).content.decode()
    assert decode(qr_codes(label)[0]) == f"{SITE}/exhibits/{exhibit.slug}/"


@pytest.mark.parametrize("path", ["//evil.example/", "/%2F%2Fevil.example/?a=1", "/\\evil.example"])
def test_a_404_s_canonical_link_is_a_safe_address_on_the_site(client, on_site_url, path):
    response = get_raw(client, path, HTTP_HOST=ODD_HOST)

    assert response.status_code == 404
    for link in absolute_links(response.content.decode()):
        assert link.startswith(SITE + "/") and "//" not in link.removeprefix("https://"), link


def test_without_a_site_url_links_follow_the_request_as_in_development(client, settings, exhibit):
    settings.SITE_URL = None
    response = client.get("/exhibits/", HTTP_HOST=ODD_HOST)

    assert absolute_links(response.content.decode()) == [f"http://{ODD_HOST}/exhibits/"] * 2
