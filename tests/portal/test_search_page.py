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
