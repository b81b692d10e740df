"""One language per page: every public page, in both languages, on the real
data. English pages carry no Chinese characters and Chinese pages no English
words, except inside elements marked with the other language (a record's
Chinese name beside its English one, a quotation from a report)."""

import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.apps import apps
from django.test import Client

from tests.public_urls import PUBLIC_PATHS

pytestmark = pytest.mark.django_db

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


SEARCHES = ["/search/?q=%E7%A8%80%E5%9C%9F", "/search/?q=glove"]


def query_of(path: str) -> str:
    return unquote(path.partition("?q=")[2]) if "/search/" in path else ""


def record_pages() -> list[str]:
    """Every record with a page of its own (not an anchor on a list page)."""
    paths = set()
    for model in apps.get_models():
        if not hasattr(model.objects, "published") and model._meta.model_name != "report":
            continue
        records = model.objects.published() if hasattr(model.objects, "published") else model.objects.all()
        for record in records:
            path = record.get_absolute_url() if hasattr(record, "get_absolute_url") else None
            if path and "#" not in path and "?" not in path:
                paths.add(path)
    return sorted(paths)


@pytest.fixture(scope="module")
def pages(portal_data, django_db_blocker):
    """Every page, rendered once, in both languages."""
    with django_db_blocker.unblock():
        paths = sorted(set(PUBLIC_PATHS) | set(record_pages())) + ["/exhibits/?page=2"]
        addresses = [prefix + path for path in paths for prefix in ("", "/en")]
        # Search results in both languages: snippets come from the record's
        # own text in the page's language, never the index text.
        addresses += [prefix + path for path in SEARCHES for prefix in ("", "/en")]
        client = Client()
        rendered = {}
        for address in addresses:
            response = client.get(address)
            assert response.status_code == 200, address
            rendered[address] = response.content.decode()
        return rendered


def test_it_walks_the_record_pages_of_every_kind(pages):
    for section in ("/exhibits/", "/craftsmen/", "/academies/", "/events/", "/organisations/", "/sources/"):
        details = [path for path in pages if path.startswith(section) and path.count("/") > 2]
        assert len(details) >= 2, section


def test_english_pages_have_no_chinese_outside_marked_elements(pages):
    problems = {
        path: found
        for path, html in pages.items()
        if path.startswith("/en/")
        for found in [wrong_language(html, english=True, query=query_of(path))]
        if found
    }
    assert not problems, "\n".join(f"{path}\n  " + "\n  ".join(found[:15]) for path, found in problems.items())


def test_chinese_pages_have_no_english_outside_marked_elements(pages):
    problems = {
        path: found
        for path, html in pages.items()
        if not path.startswith("/en/")
        for found in [wrong_language(html, english=False, query=query_of(path))]
        if found
    }
    assert not problems, "\n".join(f"{path}\n  " + "\n  ".join(found[:15]) for path, found in problems.items())


def test_the_checker_finds_chinese_on_an_english_page_outside_a_marked_element():
    html = '<html lang="en"><body><p>Made by <span lang="zh-Hans">李冬凉</span></p><p>9月23日</p></body></html>'
    assert wrong_language(html, english=True) == [
        "html > body > p: '月' in '9月23日'",
        "html > body > p: '日' in '9月23日'",
    ]


def test_the_checker_finds_english_words_and_attributes_on_a_chinese_page():
    html = (
        '<html lang="zh-Hans"><body><p>名称 (descending)</p><img alt="photo"><script>var x = "code";</script>'
        '<p lang="en">Gao Fenglin</p><p>F-12 手套 CSV</p><p><code>name_en</code> http://example.org/a-b/</p>'
        "</body></html>"
    )
    assert [problem.split(": ", 1)[1] for problem in wrong_language(html, english=False)] == [
        "'descending' in '名称 (descending)'",
        "'photo' in 'photo'",
    ]


# Every record text shown to readers, with its English twin.
TEXT_PAIRS = [
    "description",
    "inferred_note",
    "date_as_written",
    "year_reasoning",
    "makers_as_written",
    "relation_note",
    "layout_as_written",
    "title",
    "theme",
    "recognition",
    "ladder_role",
    "problem",
    "how_it_works",
]


def test_every_record_text_in_the_fixtures_has_its_english_written(portal_data):
    from portal.models import Report

    missing, joined = [], []
    for model in [Report, *(m for m in apps.get_models() if hasattr(m.objects, "published"))]:
        fields = {f.name for f in model._meta.get_fields()}
        pairs = [name for name in TEXT_PAIRS if name in fields and f"{name}_en" in fields]
        if model is Report:
            pairs.remove("title")  # a report's title_en is its English title, checked with the sources
        for record in model.objects.all():
            for name in pairs:
                chinese, english = getattr(record, name), getattr(record, f"{name}_en")
                if chinese and not english:
                    missing.append(f"{model._meta.label} {record.slug} {name}_en")
                if (
                    " / " in chinese
                    and HAN.search(chinese.split(" / ", 1)[0])
                    and not HAN.search(chinese.split(" / ")[-1])
                ):
                    joined.append(f"{model._meta.label} {record.slug} {name}")
                if HAN.search(english or ""):
                    joined.append(f"{model._meta.label} {record.slug} {name}_en has Chinese")
    assert missing == []
    assert joined == [], "a Chinese text holds its English after “ / ”, or an English one holds Chinese"


def test_every_inference_opens_with_one_short_sentence_in_both_languages(portal_data):
    from django.utils import translation

    from portal.templatetags.portal_tags import inference

    for model in apps.get_models():
        if not hasattr(model.objects, "published"):
            continue
        for record in model.objects.exclude(inferred_note=""):
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    note = inference(record)
                assert note["reasoning"] and len(note["summary"]) <= 40, (record.slug, language, note["summary"])
