"""The web app manifest, the offline page and the static build's service
worker (publish/offline.py): /sw.js lists every file of the build with the
digest of its content; the live site keeps its manifest and has no offline
page."""

import hashlib
import json
import re

import pytest
from django.contrib.staticfiles import finders

from publish import build, offline
from tests.conftest import STATIC_SITE_URL

pytestmark = pytest.mark.django_db


def listed_files(site) -> list[list[str]]:
    text = (site / "sw.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"^const FILES = (.*);$", text, re.M).group(1))


def built_addresses(site) -> set[str]:
    return {
        offline.address_of(path.relative_to(site).as_posix())
        for path in site.rglob("*")
        if path.is_file() and path.name != "sw.js"
    }


def test_the_service_worker_lists_every_file_of_the_built_site_and_only_those(built_site):
    addresses = [address for address, _ in listed_files(built_site)]

    assert set(addresses) == built_addresses(built_site)
    assert len(addresses) == len(set(addresses))
    assert addresses == sorted(addresses)
    for address in ("/", "/en/", "/exhibits/", "/offline/", "/en/offline/", "/data/beijiang-gongjiang-data.zip"):
        assert address in addresses, address
    assert "/sw.js" not in addresses


def test_each_listed_digest_is_the_digest_of_the_files_content(built_site):
    for address, digest in listed_files(built_site):
        relative = address.lstrip("/") + ("index.html" if address.endswith("/") else "")
        content = (built_site / relative).read_bytes()
        assert digest == hashlib.sha256(content).hexdigest()[:16], address


def test_the_cache_is_named_after_the_digest_of_the_whole_list(built_site):
    text = (built_site / "sw.js").read_text(encoding="utf-8")
    listed = re.search(r"^const FILES = (.*);$", text, re.M).group(1)
    version = json.loads(re.search(r"^const VERSION = (.*);$", text, re.M).group(1))

    assert version == hashlib.sha256(listed.encode("utf-8")).hexdigest()[:16]
    assert json.loads(re.search(r"^const OFFLINE_PAGES = (.*);$", text, re.M).group(1)) == {
        "zh": "/offline/",
        "en": "/en/offline/",
    }


def test_the_service_worker_is_what_the_files_give_and_changes_when_one_does(built_site, tmp_path):
    assert (built_site / "sw.js").read_text(encoding="utf-8") == offline.service_worker(
        offline.files_to_cache(built_site)
    )
    (tmp_path / "index.html").write_bytes(b"one")
    before = offline.service_worker(offline.files_to_cache(tmp_path))
    (tmp_path / "index.html").write_bytes(b"two")

    assert offline.service_worker(offline.files_to_cache(tmp_path)) != before


def test_the_service_worker_is_the_last_build_step():
    assert build.STEPS[-1] is offline.write_service_worker


@pytest.mark.parametrize(
    ("relative", "address"),
    [
        ("index.html", "/"),
        ("en/exhibits/~sector=xitu/index.html", "/en/exhibits/~sector=xitu/"),
        ("404.html", "/404.html"),
        ("api/v1/index.json", "/api/v1/index.json"),
        ("static/css/portal.0123456789ab.css", "/static/css/portal.0123456789ab.css"),
    ],
)
def test_a_file_is_listed_at_the_address_a_visitor_uses(relative, address):
    assert offline.address_of(relative) == address


@pytest.mark.parametrize(
    ("page", "manifest", "start_url", "name", "heading"),
    [
        ("index.html", "/manifest.webmanifest", "/", "北疆工匠网", "这一页没有保存在本机"),
        ("en/index.html", "/en/manifest.webmanifest", "/en/", "Northern Frontier Craftsmen", "not saved"),
    ],
)
def test_static_pages_link_the_manifest_the_worker_and_a_hidden_save_control_in_their_language(
    built_site, page, manifest, start_url, name, heading
):
    html = (built_site / page).read_text(encoding="utf-8")
    assert f'<link rel="manifest" href="{manifest}">' in html
    assert '<body data-service-worker="/sw.js">' in html
    assert re.search(r'<script src="/static/js/offline\.[0-9a-f]{12}\.js" defer></script>', html)
    assert re.search(r'<div class="offline-save" hidden\s', html)

    data = json.loads((built_site / manifest.lstrip("/")).read_text(encoding="utf-8"))
    assert (data["name"], data["start_url"], data["display"]) == (name, start_url, "standalone")
    for icon in data["icons"]:
        assert (built_site / icon["src"].lstrip("/")).is_file(), icon
    offline_page = (built_site / start_url.lstrip("/") / "offline/index.html").read_text(encoding="utf-8")
    assert heading in re.search(r"<h1>(.*?)</h1>", offline_page).group(1)
    assert '<meta name="robots" content="noindex">' in offline_page


def test_the_offline_page_is_not_in_the_sitemap(built_site):
    sitemaps = "".join(path.read_text(encoding="utf-8") for path in built_site.glob("sitemap*.xml"))
    assert f"{STATIC_SITE_URL}/offline/" not in sitemaps
    assert "/en/offline/" not in sitemaps


@pytest.mark.parametrize(
    ("path", "name", "start_url", "lang"),
    [
        ("/manifest.webmanifest", "北疆工匠网", "/", "zh-CN"),
        ("/en/manifest.webmanifest", "Northern Frontier Craftsmen", "/en/", "en"),
    ],
)
def test_the_live_site_serves_the_manifest_in_each_language(client, path, name, start_url, lang):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json; charset=utf-8"
    data = json.loads(response.content)
    assert (data["name"], data["start_url"], data["lang"], data["scope"]) == (name, start_url, lang, "/")
    assert data["theme_color"] == "#a3191f"
    assert [(icon["src"], icon["sizes"], icon["type"]) for icon in data["icons"]] == [
        ("/static/img/icon-192.png", "192x192", "image/png"),
        ("/static/img/icon-512.png", "512x512", "image/png"),
    ]
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon


@pytest.mark.parametrize(("path", "manifest"), [("/", "/manifest.webmanifest"), ("/en/", "/en/manifest.webmanifest")])
def test_live_pages_link_the_manifest_of_their_language_and_have_no_service_worker(client, path, manifest):
    html = client.get(path).content.decode()

    assert f'<link rel="manifest" href="{manifest}">' in html
    assert "<body>" in html
    assert "service-worker" not in html
    assert "offline.js" not in html
    assert "offline-save" not in html


@pytest.mark.parametrize("path", ["/offline/", "/en/offline/"])
def test_the_live_site_has_no_offline_page(client, path):
    assert client.get(path).status_code == 404
