"""Where each address of the live site lives among the static files.

A static host answers a path with a file and ignores the query string, so
an address with a query that the build renders (a page of a list, a list
filtered by one value, a filtered export, a label layout) gets a path of
its own: the query becomes one path segment starting with `~`, which no
slug can contain, so it never collides with a record's address.

    /exhibits/?sector=xitu&page=2   → /exhibits/~sector=xitu~page=2/
    /exhibits/export.csv?sector=x   → /exhibits/export~sector=x.csv
    /api/v1/exhibits/?page=2        → /api/v1/exhibits/~page=2/index.json

The API's answers are JSON, so its folder-like addresses end in
`index.json` (a static host would serve `index.html` as a web page).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

# The exhibit list's filters and its order: one of them (and a page) is
# rendered; any two together are left to the browser (static/js).
EXHIBIT_LIST_PARAMETERS = frozenset({"sector", "kind", "area", "organisation", "tier", "sort"})
LIST_PATHS = re.compile(r"^(/en)?/exhibits/(export\.(csv|xlsx))?$")
LABEL_PATHS = re.compile(r"^(/en)?/exhibits/(areas/[-\w]+/labels|[-\w]+/label)/$")
# Pages the browser completes from the query string itself (the search page
# reads ?q= and ?type=): a static host serves the page whatever the query.
BROWSER_QUERY_PATHS = re.compile(r"^(/en)?/search/$")
NOT_PUBLISHED = re.compile(r"^/(admin|healthz|static|media)(/|$)")
PAGE = re.compile(r"^[1-9][0-9]{0,5}$")


def is_api(path: str) -> bool:
    """An address whose answer is JSON: the API's, but for its documentation
    page."""
    return path.startswith("/api/") and not path.endswith("/docs/")


def renders(path: str, query: str) -> bool:
    """Whether the build writes this address (path and raw query) to a file."""
    if NOT_PUBLISHED.match(path):
        return False
    if not query:
        return True
    pairs = parse_qsl(query, keep_blank_values=True)
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys) or any(not value for _, value in pairs):
        return False
    values = dict(pairs)
    if "page" in values and not PAGE.match(values["page"]):
        return False
    rest = set(values) - {"page"}
    if not rest:
        return True
    if LIST_PATHS.match(path):
        return len(rest) == 1 and rest <= EXHIBIT_LIST_PARAMETERS
    if LABEL_PATHS.match(path):
        return rest == {"layout"} and "page" not in values
    return False


def file_for(path: str, query: str = "") -> str:
    """The file, relative to the output folder, that holds an address the
    build renders."""
    segment = ""
    if query:
        segment = "~" + "~".join(f"{key}={quote(value, safe='')}" for key, value in parse_qsl(query))
    name = "index.json" if is_api(path) else "index.html"
    if path.endswith("/"):
        return (path + (segment + "/" if segment else "") + name).lstrip("/")
    if not segment:
        return path.lstrip("/")
    head, dot, extension = path.rpartition(".")
    if not dot or "/" in extension:
        return (path + segment).lstrip("/")
    return f"{head}{segment}.{extension}".lstrip("/")


def href_for(path: str, query: str = "") -> str:
    """The address a link on a static page uses for a rendered address: the
    file's folder for a page (static hosts serve its index.html), the file
    itself otherwise."""
    file = "/" + file_for(path, query)
    if file.endswith("/index.html"):
        return file.removesuffix("index.html")
    return file


def split(url: str, site_url: str, base: str = "/") -> tuple[str, str, str] | None:
    """(path, query, fragment) of an address on this site, absolute (with
    site_url), from the root, or a query on its own (`?page=2`, as
    `{% querystring %}` writes it) relative to base, the address of the page
    it is on; None for any other address."""
    if url.startswith("?"):
        url = urljoin(base, url)
    if url.startswith(site_url + "/"):
        url = url[len(site_url) :]
    if not url.startswith("/") or url.startswith("//"):
        return None
    parts = urlsplit(url)
    return parts.path, parts.query, parts.fragment


def canonical_query(query: str) -> str:
    return urlencode(parse_qsl(query, keep_blank_values=True))
