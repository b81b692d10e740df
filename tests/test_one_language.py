"""One language per page: every public page, in both languages, on the real
data. English pages carry no Chinese characters and Chinese pages no English
words, except inside elements marked with the other language (a record's
Chinese name beside its English one, a quotation from a report). The pages
tests/public_urls.py names are checked with the rest of what a page must
hold, by tests/test_public_urls.py; here, every other record page and search
results."""

from urllib.parse import unquote

import pytest
from django.apps import apps
from django.test import Client

from tests.page_checks import HAN, wrong_language
from tests.public_urls import ENGLISH_PATHS, PUBLIC_PATHS

pytestmark = pytest.mark.django_db

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
    """Every record page and a second list page, rendered once, in both
    languages (tests/test_public_urls.py checks the pages
    tests/public_urls.py names)."""
    with django_db_blocker.unblock():
        paths = sorted(set(record_pages()) - set(PUBLIC_PATHS)) + ["/exhibits/?page=2"]
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
    walked = set(pages) | set(PUBLIC_PATHS + ENGLISH_PATHS)
    for section in ("/exhibits/", "/craftsmen/", "/academies/", "/events/", "/organisations/", "/sources/"):
        details = [path for path in walked if path.startswith(section) and path.count("/") > 2]
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
