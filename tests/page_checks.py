"""What every public page must hold, read from one response: each check
returns the ways the response falls short, as readable text, so a failure
names the URL and the check. tests/test_public_urls.py runs them all on every
public URL; other tests use single checks on other responses (the admin, error
pages, exports, record pages)."""

import re
from html import unescape
from html.parser import HTMLParser

# Browser features the portal never uses: each must be turned off.
FEATURES_OFF = {"camera", "microphone", "geolocation", "payment", "usb", "browsing-topics", "display-capture", "serial"}
PRIVATE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
ONE_YEAR = 365 * 24 * 3600


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        assert name not in directives, f"{name} given twice"
        directives[name] = values
    return directives


def header_problems(response) -> list[str]:
    """Every way the response's headers fall short, as readable text."""
    problems = []
    hsts = response.headers.get("Strict-Transport-Security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    if not max_age or int(max_age.group(1)) < ONE_YEAR or "includesubdomains" not in hsts.lower():
        problems.append(f"HSTS: {hsts!r}")
    csp = response.headers.get("Content-Security-Policy")
    if not csp:
        problems.append("no Content-Security-Policy")
    else:
        directives = csp_directives(csp)
        expected = {
            "default-src": ["'none'"],
            "frame-ancestors": ["'none'"],
            "form-action": ["'self'"],
            "base-uri": ["'none'"],
        }
        for name, values in expected.items():
            if directives.get(name) != values:
                problems.append(f"CSP {name}: {directives.get(name)}")
        if re.search(r"'unsafe-(inline|eval|hashes)'", csp) or "*" in csp:
            problems.append(f"CSP allows too much: {csp}")
    expected_headers = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    for name, value in expected_headers.items():
        if response.headers.get(name) != value:
            problems.append(f"{name}: {response.headers.get(name)!r}")
    if response.headers.get("Cross-Origin-Resource-Policy") != "same-origin":
        problems.append(f"Cross-Origin-Resource-Policy: {response.headers.get('Cross-Origin-Resource-Policy')!r}")
    permissions = dict(
        item.strip().split("=", 1) for item in response.headers.get("Permissions-Policy", "").split(",") if "=" in item
    )
    on = sorted(feature for feature in FEATURES_OFF if permissions.get(feature) != "()")
    if on:
        problems.append(f"Permissions-Policy leaves on: {on}")
    if response.headers.get("Referrer-Policy") not in PRIVATE_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy: {response.headers.get('Referrer-Policy')!r}")
    content_type = response.headers.get("Content-Type", "").lower().replace('"', "")
    if "charset=utf-8" not in content_type:
        problems.append(f"Content-Type: {content_type!r}")
    return problems


# A file name ("000_f558dc7d99a45a08.txt"), its number prefix, any ".txt",
# and the number used as a name ("报道000", "报告003", "Report 000").
FILE_NAME_OR_NUMBER = re.compile(r"\b0\d\d_|\.txt\b|(?:报道|报告|\breport)\s*0\d\d", re.IGNORECASE)


def offending(text: str) -> list[str]:
    return sorted({text[max(0, m.start() - 30) : m.end() + 30] for m in FILE_NAME_OR_NUMBER.finditer(text)})


HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'’.][A-Za-z0-9]+)*")

# Latin words a Chinese page may carry outside a lang="en" element.
LATIN_ALLOWED = {
    "F-12": "an exhibit's own model name (the F-12 glove), printed so in the report",
    "API": "the name of the programming interface; Chinese technical writing uses it as is",
    "CSV": "a file format, named so in Chinese too",
    "XLSX": "a file format, named so in Chinese too",
    "JSON": "a file format, named so in Chinese too",
    "ZIP": "a file format, named so in Chinese too",
    "URL": "the address of a page, named so in Chinese technical writing",
    "QR": "QR code (二维码 is beside it); the label pages use the term",
    "A4": "the paper size the label pages print on",
    "GB/T": "the Chinese citation standard GB/T 7714 is named so",
    "GB": "the Chinese citation standard GB/T 7714 is named so",
    "T": "the Chinese citation standard GB/T 7714 is named so",
    "EB": "GB/T 7714's marker for an online resource, [EB/OL]",
    "OL": "GB/T 7714's marker for an online resource, [EB/OL]",
    "A6": "the paper size the label pages print on",
    "UTF-8": "the character encoding of the CSV files, named so in Chinese too",
    "UTF": "the character encoding UTF-8",
    "BOM": "the byte-order mark the CSV files start with, named so in Chinese too",
    "Excel": "the spreadsheet program the download opens in, named so in Chinese too",
    "xlsx": "Excel's file extension, on the download link",
    "Ctrl": "the key of the print shortcut Ctrl+P, as printed on keyboards",
    "P": "the key of the print shortcut Ctrl+P",
    "gfl": "the header's example query, 高凤林's pinyin initials, which the search accepts",
}

# Attributes a reader sees or hears.
READ_ATTRIBUTES = ("alt", "aria-label", "placeholder", "title")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED = {"script", "style", "template"}
# What a reader types or a machine reads (file and column names, example
# queries): neither language.
NEUTRAL = {"code", "kbd"}


class LanguageRuns(HTMLParser):
    """Collects (language of the nearest marked element, text) for every
    piece of visible text and every read attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang)
        self.skipping = 0
        self.texts: list[tuple[str, str, str]] = []  # (lang, where, text)

    def language(self) -> str:
        for _tag, lang in reversed(self.stack):
            if lang is not None:
                return lang.lower()
        return ""

    def where(self) -> str:
        return " > ".join(tag for tag, _lang in self.stack[-4:])

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang")
        if tag in VOID:
            self._attributes(tag, attributes, lang)
            return
        self.stack.append((tag, lang))
        if tag in SKIPPED or tag in NEUTRAL:
            self.skipping += 1
        self._attributes(tag, attributes, None)

    def handle_startendtag(self, tag, attrs):
        attributes = dict(attrs)
        self._attributes(tag, attributes, attributes.get("lang"))

    def _attributes(self, tag, attributes, own_lang):
        lang = (own_lang or "").lower() or self.language()
        for name in READ_ATTRIBUTES:
            if attributes.get(name):
                self.texts.append((lang, f"{self.where()} > {tag}[{name}]", attributes[name]))

    def handle_endtag(self, tag):
        for position in range(len(self.stack) - 1, -1, -1):
            if self.stack[position][0] == tag:
                for closed, _lang in self.stack[position:]:
                    if closed in SKIPPED or closed in NEUTRAL:
                        self.skipping -= 1
                del self.stack[position:]
                return

    def handle_data(self, data):
        if self.skipping or not data.strip():
            return
        self.texts.append((self.language(), self.where(), data))


URL = re.compile(r"https?://\S+")


def wrong_language(html: str, english: bool, query: str = "") -> list[str]:
    """The pieces of text in the other language. A page address is neither
    language; a search page's query is the reader's own words."""
    parser = LanguageRuns()
    parser.feed(html)
    parser.close()
    problems = []
    for lang, where, found in parser.texts:
        text = URL.sub(" ", found.replace(query, " ") if query else found)
        if english and not lang.startswith("zh"):
            problems += [f"{where}: {run!r} in {text.strip()[:80]!r}" for run in HAN.findall(text)]
        if not english and not lang.startswith("en"):
            for word in LATIN_WORD.findall(text):
                if word not in LATIN_ALLOWED and not _allowed_compound(word):
                    problems.append(f"{where}: {word!r} in {text.strip()[:80]!r}")
    return problems


def _allowed_compound(word: str) -> bool:
    """An allowed word with a number or a page address's parts (A4, F-12, p12)."""
    return all(part in LATIN_ALLOWED or part.isdigit() for part in re.split(r"[-.+]", word) if part)


def cookie_problems(response) -> list[str]:
    """A public response sets no cookie and never reads the session."""
    problems = []
    if response.cookies:
        problems.append(f"cookies: {sorted(response.cookies)}")
    if "Set-Cookie" in response.headers:
        problems.append(f"Set-Cookie: {response.headers['Set-Cookie']!r}")
    # SessionMiddleware adds "Vary: Cookie" whenever a view reads the session.
    if "cookie" in response.headers.get("Vary", "").lower():
        problems.append(f"Vary: {response.headers['Vary']!r}")
    return problems


def inline_code_problems(html: str) -> list[str]:
    """Inline scripts, styles and event handlers would need 'unsafe-inline'
    in the Content-Security-Policy; JSON-LD is data, not code."""
    problems = [
        f"inline script: {script}"
        for script in re.findall(r"<script\b[^>]*>", html)
        if "src=" not in script and 'type="application/ld+json"' not in script
    ]
    if "<style" in html:
        problems.append("a <style> element")
    problems += [f"style attribute: {tag[:80]}" for tag in re.findall(r"<[^>]+\sstyle=[^>]*>", html)]
    problems += [f"event handler attribute: {tag[:80]}" for tag in re.findall(r"<[^>]+\son[a-z]+=[^>]*>", html)]
    return problems


def head_problems(html: str, path: str) -> list[str]:
    """One <h1>; the page's language on <html>; a non-empty <title>, meta
    description and og:title; one canonical link to the page itself."""
    problems = []
    if html.count("<h1") != 1:
        problems.append(f"{html.count('<h1')} <h1> elements, not one")
    lang = 'lang="en"' if path.startswith("/en/") else 'lang="zh-Hans"'
    if f"<html {lang}>" not in html:
        problems.append(f"no <html {lang}>: {html[html.find('<html') :][:40]!r}")
    title = re.search(r"<title>([^<]*)</title>", html)
    if not title or not title.group(1).strip():
        problems.append(f"no <title> text: {title and title.group(0)!r}")
    if not re.search(r'<meta name="description" content="[^"]+">', html):
        problems.append("every page needs a description")
    if '<meta property="og:title"' not in html:
        problems.append("no og:title")
    # The origin is the site's (SITE_URL) or the request's: only the path is the page's own.
    canonicals = [unescape(href) for href in re.findall(r'<link rel="canonical" href="([^"]*)">', html)]
    if len(canonicals) != 1 or not re.fullmatch(r"https?://[^/]+" + re.escape(path), canonicals[0]):
        problems.append(f"canonical links {canonicals}, not one absolute link to {path}")
    return problems


def source_name_problems(html: str) -> list[str]:
    return [f"report file name or number: {found!r}" for found in offending(html)]


def language_problems(html: str, path: str) -> list[str]:
    return wrong_language(html, english=path.startswith("/en/"))


def response_problems(response) -> dict[str, list[str]]:
    """What any public response must hold, by check name, with what failed;
    a check that passed is left out, so a sound response gives {}."""
    if response.status_code != 200:
        return {"status": [f"status {response.status_code}, not 200"]}
    found = {"headers": header_problems(response), "cookies": cookie_problems(response)}
    return {check: problems for check, problems in found.items() if problems}


def page_problems(response, path: str) -> dict[str, list[str]]:
    """What a public page must hold: what any public response must, and the
    checks of its HTML, by name as in response_problems."""
    problems = response_problems(response)
    if response.status_code != 200:
        return problems
    html = response.content.decode()
    found = {
        "head": head_problems(html, path),
        "inline code": inline_code_problems(html),
        "source names": source_name_problems(html),
        "one language": language_problems(html, path),
    }
    return problems | {check: failed for check, failed in found.items() if failed}
