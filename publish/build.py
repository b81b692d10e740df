"""The public site rendered as files (`make static`).

Every page comes from the live site's own views and templates, requested
through Django's test client with `STATIC_SITE_BUILD` on: no second set of
templates. The build starts from the home pages, the sitemaps, robots.txt,
the data page and the API's index, follows every link it renders (pages,
downloads, API answers), and writes each answer to the file that
`publish.addresses` gives it, rewriting links to match. Then the steps in
STEPS add what has no URL of its own (the browser's search index, the
service worker's list of files).

The output is deterministic: the same data gives byte-identical files, so a
CDN or a diff sees only what changed (static files carry content hashes in
their names; zip-based downloads get fixed timestamps).
"""

from __future__ import annotations

import gzip
import html
import io
import json
import posixpath
import re
import shutil
import time
import zipfile
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from portal.resources import all_resources
from publish import addresses, offline
from publish.filter_data import write_filter_data
from publish.search_index import write_search_index

# The 404 page a static host can show for a missing file (most hosts look
# for /404.html), in each language, rendered by the live site's own handler.
NOT_FOUND_PAGES = ("/404.html", "/en/404.html")
# The page the service worker shows for a page not saved on the device
# (publish/offline.py): no page links it, and the live site has none.
OFFLINE_PAGES = ("/offline/", "/en/offline/")
# Not /favicon.ico: the live site redirects it to the icon every page links.
SEEDS = ("/", "/en/", "/robots.txt", "/sitemap.xml", "/api/", "/api/v1/", *NOT_FOUND_PAGES, *OFFLINE_PAGES)

ADMIN_STATIC = ["admin", "django_otp", "otp_totp", "import_export"]
URL_ATTRIBUTES = {"href", "src", "action", "content", "data-src", "data-url", "data-index", "data-filter-data"}
# Attributes naming a file that a step in STEPS writes, not an address the
# crawl renders: checked like every link, never requested.
WRITTEN_BY_STEPS = {"data-index", "data-filter-data"}
# A zip-based file (XLSX, the dataset zip) records when each member was
# written; fixed, the same data gives the same bytes.
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
XLSX_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


class BuildError(Exception):
    pass


@dataclass
class Build:
    out: Path
    site_url: str
    client: Client
    files: dict[str, str] = field(default_factory=dict)  # file → the address it holds
    problems: list[str] = field(default_factory=list)

    def write(self, relative: str, content: bytes) -> None:
        target = self.out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        self.files[relative] = relative


@dataclass
class Report:
    out: Path
    pages: int
    files: int
    bytes: int
    seconds: float
    problems: list[str]


class _Links(HTMLParser):
    def __init__(self, leave_out: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.leave_out = leave_out

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name in URL_ATTRIBUTES and name not in self.leave_out:
                self.links.append(value)
            elif value and name == "srcset":
                self.links.extend(part.strip().split(" ")[0] for part in value.split(",") if part.strip())


def html_links(text: str, leave_out: set[str] | None = None) -> list[str]:
    """The addresses a page names, but for those in attributes leave_out."""
    parser = _Links(leave_out or set())
    parser.feed(text)
    return parser.links


XML_LOC = re.compile(r"<loc>([^<]+)</loc>")
JSON_URL = re.compile(r'"((?:https?://[^"/]+)?/[^"\s]*)"')
ATTRIBUTE = re.compile(r"(\s(?:" + "|".join(sorted(URL_ATTRIBUTES)) + r')=")([^"]*)(")')
LD_JSON = re.compile(r'(<script type="application/ld\+json">)(.*?)(</script>)', re.S)


def _rewrite_url(build: Build, url: str, base: str = "/") -> str:
    parts = addresses.split(url, build.site_url, base)
    if parts is None:
        return url
    path, query, fragment = parts
    absolute = url.startswith(build.site_url)
    if not addresses.renders(path, query):
        return url
    new = path if not query and not addresses.is_api(path) else addresses.href_for(path, query)
    if fragment:
        new += f"#{fragment}"
    return (build.site_url + new) if absolute else new


def rewrite_html(build: Build, text: str, base: str = "/") -> str:
    def attribute(match: re.Match) -> str:
        value = html.unescape(match.group(2))
        return match.group(1) + html.escape(_rewrite_url(build, value, base), quote=True) + match.group(3)

    def ld_json(match: re.Match) -> str:
        return match.group(1) + rewrite_json(build, match.group(2)) + match.group(3)

    return LD_JSON.sub(ld_json, ATTRIBUTE.sub(attribute, text))


def rewrite_json(build: Build, text: str) -> str:
    return JSON_URL.sub(lambda match: '"' + _rewrite_url(build, match.group(1)) + '"', text)


def _is_xml(content_type: str) -> bool:
    return content_type.split(";")[0].strip() in {"application/xml", "text/xml"}


def _is_json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip()
    return media == "application/json" or media.endswith("+json")


def links_in(build: Build, content_type: str, body: bytes) -> list[str]:
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("text/html"):
        found = html_links(text, leave_out=WRITTEN_BY_STEPS)
        for block in LD_JSON.findall(text):
            found.extend(JSON_URL.findall(block[1]))
        return found
    if _is_xml(content_type):
        return XML_LOC.findall(text)
    if _is_json(content_type):
        # Not the templates of addresses an index describes (/api/v1/x/{slug}/).
        return [link for link in JSON_URL.findall(text) if "{" not in link]
    if content_type.startswith("text/plain"):  # robots.txt names the sitemap
        return re.findall(r"https?://\S+", text)
    return []


def fixed_zip(body: bytes) -> bytes:
    """The same archive with every member dated FIXED_ZIP_TIME (and an XLSX
    file's own created/modified dates fixed), members in the same order."""
    source = zipfile.ZipFile(io.BytesIO(body))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "docProps/core.xml":
                data = XLSX_DATES.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", data)
            info = zipfile.ZipInfo(member.filename, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    return output.getvalue()


def _fetch(build: Build, address: str):
    response = build.client.get(address)
    if hasattr(response, "streaming_content"):
        body = b"".join(response.streaming_content)
    elif hasattr(response, "file_to_stream") or getattr(response, "streaming", False):
        body = response.getvalue()
    else:
        body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response, body


def api_records() -> list[str]:
    """Each API resource's detail answer for every public record: the list
    answers do not link them."""
    seeds = []
    for resource in all_resources():
        for slug in resource.queryset().order_by().values_list("slug", flat=True):
            seeds.append(reverse(f"api-v1:{resource.segment}-detail", kwargs={"slug": slug}))
    return sorted(seeds)


def crawl(build: Build) -> int:
    """Render every reachable address; the number of addresses written.

    A static host cannot redirect, so an address that answers with a
    redirect is a problem (the page linking to it should link where it
    leads), and links are rewritten as each file is written."""
    seeds = [*SEEDS, *api_records()]
    queue: deque[str] = deque(seeds)
    seen: set[str] = set(seeds)
    written = 0
    while queue:
        address = queue.popleft()
        path, _, query = address.partition("?")
        response, body = _fetch(build, address)
        if response.status_code in (301, 302, 307, 308):
            build.problems.append(f"{address} redirects to {response['Location']}: link to where it leads")
            continue
        if response.status_code != 200 and not (response.status_code == 404 and address in NOT_FOUND_PAGES):
            build.problems.append(f"{address} answered {response.status_code}")
            continue
        content_type = response.get("Content-Type", "")
        relative = addresses.file_for(path, query)
        if content_type.startswith("text/html") and not relative.endswith(".html"):
            build.problems.append(f"{address} is a web page at an address without a folder: {relative}")
            continue
        for link in links_in(build, content_type, body):
            parts = addresses.split(html.unescape(link), build.site_url, address)
            if parts is None:
                continue
            link_path, link_query, _ = parts
            if not addresses.renders(link_path, link_query):
                continue
            target = link_path + (f"?{addresses.canonical_query(link_query)}" if link_query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)
        if content_type.startswith("text/html"):
            body = rewrite_html(build, _text(body, address), address).encode("utf-8")
        elif _is_json(content_type) or _is_xml(content_type):
            body = rewrite_json(build, _text(body, address)).encode("utf-8")
        elif relative.endswith((".xlsx", ".zip")):
            body = fixed_zip(body)
        build.write(relative, body)
        written += 1
    return written


def _text(body: bytes, address: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BuildError(f"{address} is not UTF-8") from None


def static_files(build: Build) -> None:
    """collectstatic with hashed names into <out>/static/, without the
    admin's files (no admin in the static site)."""
    call_command("collectstatic", interactive=False, verbosity=0, clear=True, ignore_patterns=ADMIN_STATIC)


def static_links(out: Path, site_url: str) -> set[str]:
    """The /static/ files the output names, from its pages, JSON and XML,
    and from the stylesheets among them, transitively."""
    named: set[str] = set()
    for file in out.rglob("*"):
        if file.is_file() and file.suffix in CHECKED_SUFFIXES and file.relative_to(out).parts[0] != "static":
            for path in _internal_paths(out, file, site_url):
                if path.startswith("/static/"):
                    named.add(path)
    stylesheets = [path for path in named if path.endswith(".css")]
    while stylesheets:
        stylesheet = out / stylesheets.pop().lstrip("/")
        if not stylesheet.is_file():
            continue
        for path in _internal_paths(out, stylesheet, site_url):
            if path.startswith("/static/") and path not in named:
                named.add(path)
                if path.endswith(".css"):
                    stylesheets.append(path)
    return named


def prune_static(build: Build) -> None:
    """Only the static files a page uses, by their hashed names: collectstatic
    also leaves each file under its plain name, the manifest, source maps and
    the files of apps the public pages never load."""
    keep = static_links(build.out, build.site_url)
    for file in sorted((build.out / "static").rglob("*"), reverse=True):
        if file.is_file() and "/" + file.relative_to(build.out).as_posix() not in keep:
            file.unlink()
        elif file.is_dir() and not any(file.iterdir()):
            file.rmdir()


# Steps run after the pages are written, in order, each given the Build.
# The service worker stays last: it lists every file the others write.
STEPS: list[Callable[[Build], None]] = [write_search_index, write_filter_data, offline.write_service_worker]


def build_site(out: Path | None = None, site_url: str | None = None) -> Report:
    """Render the public site into out (default STATIC_SITE_DIR) for the
    address site_url (default STATIC_SITE_URL). The folder is replaced
    only when the build succeeds."""
    started = time.perf_counter()
    out = Path(out or settings.STATIC_SITE_DIR).resolve()
    site_url = (site_url or settings.STATIC_SITE_URL).rstrip("/")
    staging = out.with_name(out.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    host = urlsplit(site_url)
    overrides = {
        "STATIC_SITE_BUILD": True,
        "SITE_URL": site_url,
        "DEBUG": False,
        "ALLOWED_HOSTS": [host.hostname],
        "PAGE_CACHE_SECONDS": 0,
        # A full download is built in the request that asks for it (the
        # live site builds it in the background and answers 503 meanwhile).
        "DOWNLOADS_BACKGROUND": False,
        "STATIC_ROOT": staging / "static",
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
        },
        # Pages must not depend on who asks: no session, no language cookie.
        "SECURE_SSL_REDIRECT": False,
    }
    with override_settings(**overrides), translation.override(settings.LANGUAGE_CODE):
        client = Client(
            SERVER_NAME=host.hostname,
            SERVER_PORT=str(host.port or (443 if host.scheme == "https" else 80)),
            **({"wsgi.url_scheme": "https"} if host.scheme == "https" else {}),
        )
        build = Build(out=staging, site_url=site_url, client=client)
        static_files(build)
        pages = crawl(build)
        prune_static(build)
        for step in STEPS:
            step(build)
    if build.problems:
        raise BuildError("The static build found problems:\n" + "\n".join(build.problems))
    problems = check(staging, site_url)
    if problems:
        raise BuildError("The static build has links that lead nowhere:\n" + "\n".join(problems[:50]))
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    files = [path for path in out.rglob("*") if path.is_file()]
    return Report(
        out=out,
        pages=pages,
        files=len(files),
        bytes=sum(path.stat().st_size for path in files),
        seconds=time.perf_counter() - started,
        problems=[],
    )


def _resolves(out: Path, path: str) -> bool:
    if ".." in path.split("/"):
        return False
    target = out / path.lstrip("/")
    if path.endswith("/"):
        return (target / "index.html").is_file()
    return target.is_file() or (target / "index.html").is_file()


CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


CHECKED_SUFFIXES = {".html", ".xml", ".json", ".css", ".txt", ".webmanifest"}


def _links_of_file(out: Path, file: Path) -> list[str]:
    """The addresses a built file names, as written (relative ones from a
    stylesheet made absolute)."""
    relative = file.relative_to(out).as_posix()
    text = file.read_text(encoding="utf-8", errors="replace")
    if file.suffix == ".html":
        links = html_links(text)
        for block in LD_JSON.findall(text):
            links.extend(JSON_URL.findall(block[1]))
        return links
    if file.suffix == ".css":
        base = "/" + relative.rpartition("/")[0] + "/"
        return [
            posixpath.normpath(link if link.startswith("/") else base + link)
            for link in CSS_URL.findall(text)
            if not link.startswith(("data:", "#"))
        ]
    if file.suffix == ".xml":
        return XML_LOC.findall(text)
    if file.suffix == ".txt":
        return re.findall(r"https?://\S+", text)
    # JSON (and the manifest): not the templates of addresses an API
    # description holds (/api/v1/x/{slug}/).
    return [link for link in JSON_URL.findall(text) if "{" not in link]


def _internal_links(out: Path, file: Path, site_url: str) -> list[tuple[str, str, str]]:
    """(as written, path, query) of each address on this site the file names."""
    relative = file.relative_to(out).as_posix()
    base = "/" + relative.removesuffix("index.html")
    found = []
    for link in _links_of_file(out, file):
        parts = addresses.split(html.unescape(link), site_url, base)
        if parts is not None:
            found.append((link, parts[0], parts[1]))
    return found


def _internal_paths(out: Path, file: Path, site_url: str) -> list[str]:
    return [path for _, path, _ in _internal_links(out, file, site_url)]


def check(out: Path, site_url: str) -> list[str]:
    """Every internal link, image, stylesheet, script and download named in
    the output's pages, sitemaps, JSON and stylesheets, that does not
    resolve to a file there: one line each."""
    out = Path(out)
    problems = []
    for file in sorted(out.rglob("*")):
        if not file.is_file() or file.suffix not in CHECKED_SUFFIXES:
            continue
        relative = file.relative_to(out).as_posix()
        for link, path, query in _internal_links(out, file, site_url):
            if query and not addresses.BROWSER_QUERY_PATHS.match(path):
                problems.append(f"{relative}: {link} (a query a static host ignores)")
            elif not _resolves(out, path):
                problems.append(f"{relative}: {link}")
    return problems


def write_report(report: Report) -> str:
    return json.dumps(
        {"pages": report.pages, "files": report.files, "bytes": report.bytes, "seconds": round(report.seconds, 1)}
    )
