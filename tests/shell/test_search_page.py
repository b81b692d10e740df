import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]


def test_searching_a_two_character_word_lists_the_rare_earth_exhibits_highlighted(client):
    html = client.get("/search/", {"q": "稀土"}).content.decode()
    assert "<mark>稀土</mark>永磁电机" in html
    assert "找到" in html


def test_gaofenglin_finds_gao_fenglin_in_both_languages(client):
    assert "高凤林" in client.get("/search/", {"q": "gaofenglin"}).content.decode()
    html = client.get("/en/search/", {"q": "gaofenglin"}).content.decode()
    assert "Gao Fenglin" in html
    assert 'href="/en/craftsmen/gao-fenglin/"' in html


def test_results_can_be_narrowed_to_one_kind_with_counts_per_kind(client):
    html = client.get("/search/", {"q": "稀土", "type": "exhibit"}).content.decode()
    assert 'aria-current="true">展品' in html
    assert "<mark>稀土</mark>永磁电机" in html
    assert "内蒙古特色产业" not in html


def test_the_results_fragment_is_the_partial_of_the_same_view(client):
    html = client.get("/search/", {"q": "锁止", "fragment": "results"}).content.decode()
    assert "<html" not in html
    assert "机械式自锁防脱落牵引锁止装置" in html.replace("<mark>", "").replace("</mark>", "")


@pytest.mark.parametrize(
    "query",
    ["", "   ", "，。！", '" * : ( ) - AND OR NEAR', "稀" * 2000, "x" * 2000, "\u200b稀土\u200f", "e\u0301"],
)
def test_bad_or_odd_input_gives_a_normal_page(client, query):
    assert client.get("/search/", {"q": query}).status_code == 200
    assert client.get("/en/search/", {"q": query}).status_code == 200


def test_a_nul_byte_is_refused_with_400(client):
    assert client.get("/search/?q=%00").status_code == 400


def test_invalid_utf8_gives_a_normal_page(client):
    assert client.get("/search/?q=%ff%fe%fd").status_code == 200


def test_user_input_is_escaped_in_the_page(client):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in html


def test_the_exhibit_list_combines_q_with_its_filters(client):
    html = client.get("/exhibits/", {"q": "稀土", "sector": "xitu"}).content.decode()
    assert "共 5 件展品" in html
    html = client.get("/exhibits/", {"q": "gaofenglin"}).content.decode()
    assert "共 0 件展品" in html


def test_every_page_has_the_search_box_in_its_header(client):
    assert 'role="search"' in client.get("/craftsmen/").content.decode()


SNIPPET = re.compile(r'<p class="snippet">(.*?)</p>', re.S)
CJK = re.compile(r"[\u3400-\u9fff]")


def snippets(html: str) -> list[str]:
    return SNIPPET.findall(html)


def test_chinese_snippets_are_the_records_own_chinese_text(client):
    found = snippets(client.get("/search/", {"q": "稀土"}).content.decode())
    assert found
    for snippet in found:
        assert "Rare" not in snippet and "rare" not in snippet, snippet


def test_english_snippets_are_the_records_own_english_text(client):
    for query in ["rare earth", "稀土", "F12"]:
        found = snippets(client.get("/en/search/", {"q": query}).content.decode())
        assert found, query
        for snippet in found:
            assert not CJK.search(snippet), snippet


def test_a_result_shows_the_records_own_description_not_the_linked_names_that_find_it():
    from portal.models import SearchDocument
    from portal.text import index_tokens

    documents = SearchDocument.objects.select_related("content_type")
    assert documents
    for document in documents:
        record = document.content_type.get_object_for_this_type(pk=document.object_id)
        assert (document.text, document.text_en) == (record.description, record.description_en), document
    # Found by its unit's name, which is in the index but not in what it shows.
    unit = "内蒙古电力集团有限责任公司巴彦淖尔供电公司"
    glove = SearchDocument.objects.get(title="F-12芳纶防割手套")
    assert unit not in glove.text
    assert index_tokens(unit) in glove.body


def test_f12_finds_the_glove_and_highlights_its_model_number(client):
    html = client.get("/search/", {"q": "F12"}).content.decode()
    assert "<mark>F-12</mark>芳纶防割手套" in html
    html = client.get("/en/search/", {"q": "F-12"}).content.decode()
    assert "<mark>F-12</mark> aramid cut-resistant gloves" in html


def test_with_a_kind_facet_active_the_heading_counts_what_is_shown(client):
    everything = client.get("/search/", {"q": "稀土"}).content.decode()
    exhibits = client.get("/search/", {"q": "稀土", "type": "exhibit"}).content.decode()
    assert re.search(r'<h2 class="results-count"[^>]*>找到 (\d+) 条记录</h2>', everything)
    assert '<h2 class="results-count" data-search-count>找到 5 条记录（展品）</h2>' in exhibits
    english = client.get("/en/search/", {"q": "rare earth", "type": "exhibit"}).content.decode()
    assert '<h2 class="results-count" data-search-count>5 records found (Exhibits)</h2>' in english


def test_a_single_latin_letter_is_marked_only_as_a_word_of_its_own(client):
    html = client.get("/en/search/", {"q": "a"}).content.decode()
    assert "<mark>a</mark>" in html or "<mark>A</mark>" in html
    assert not re.search(r"[A-Za-z0-9]<mark>|<mark>[A-Za-z]</mark>[A-Za-z0-9]", html)
    html = client.get("/en/search/", {"q": "r"}).content.decode()
    assert 'class="snippet"' in html and "<mark>" not in html


def test_only_the_count_sentence_is_a_live_region(client):
    html = client.get("/search/", {"q": "稀土"}).content.decode()
    assert html.count("aria-live") == 1
    assert re.search(r'<p id="search-status"[^>]*role="status"[^>]*aria-live="polite"', html)
    assert '<section id="search-results" aria-label' in html
