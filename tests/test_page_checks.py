"""The page checks find what they look for, on small hand-written pages, so
that a sound page passing them means something."""

from django.http import HttpResponse

from tests.page_checks import (
    cookie_problems,
    head_problems,
    inline_code_problems,
    offending,
    page_problems,
    wrong_language,
)


def test_the_check_catches_each_form_of_a_file_name_or_number():
    bad_forms = [
        "000_f558dc7d99a45a08.txt",
        "见 003_ 文件",
        "报道000 第 5 段",
        "报告003署名",
        "Report 003, paragraph 5",
    ]
    for bad in bad_forms:
        assert offending(bad), bad
    for fine in ["《匠心铸北疆》第15段", "“Craftsmanship for the Northern Frontier”, para. 15", "2025年"]:
        assert not offending(fine), fine


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


SOUND_PAGE = (
    '<html lang="en"><head><title>Exhibits · Northern Frontier Craftsmen</title>'
    '<meta name="description" content="Every exhibit."><link rel="canonical" href="https://example.org/en/exhibits/">'
    '<meta property="og:title" content="Exhibits"><script src="/static/js/portal.js"></script>'
    '<script type="application/ld+json">{}</script></head><body><h1>Exhibits</h1></body></html>'
)


def test_a_sound_page_passes_the_checks_of_its_html():
    assert head_problems(SOUND_PAGE, "/en/exhibits/") == []
    assert inline_code_problems(SOUND_PAGE) == []
    assert wrong_language(SOUND_PAGE, english=True) == []


def test_the_head_check_finds_each_missing_or_doubled_part():
    broken = {
        "<h1>Exhibits</h1>": "<h1>Exhibits</h1><h1>Again</h1>",
        '<html lang="en">': '<html lang="zh-Hans">',
        "<title>Exhibits · Northern Frontier Craftsmen</title>": "<title> </title>",
        'content="Every exhibit."': 'content=""',
        '<meta property="og:title" content="Exhibits">': "",
        'href="https://example.org/en/exhibits/"': 'href="/en/exhibits/"',
        '<link rel="canonical" href="https://example.org/en/exhibits/">': "",
    }
    for sound, bad in broken.items():
        assert len(head_problems(SOUND_PAGE.replace(sound, bad), "/en/exhibits/")) == 1, bad
    assert head_problems(SOUND_PAGE, "/en/craftsmen/") == [
        "canonical links ['https://example.org/en/exhibits/'], not one absolute link to /en/craftsmen/"
    ]


def test_the_inline_code_check_finds_scripts_styles_and_handlers():
    for bad in ["<script>alert(1)</script>", "<style>p {}</style>", '<p style="color: red">', '<a onclick="x()">']:
        assert inline_code_problems(SOUND_PAGE.replace("<h1>", bad + "<h1>")), bad


def test_the_cookie_check_finds_a_cookie_and_a_session_read():
    assert cookie_problems(HttpResponse()) == []
    with_cookie = HttpResponse()
    with_cookie.set_cookie("sessionid", "x")
    assert cookie_problems(with_cookie) == ["cookies: ['sessionid']"]
    assert cookie_problems(HttpResponse(headers={"Set-Cookie": "a=b"})) == ["Set-Cookie: 'a=b'"]
    assert cookie_problems(HttpResponse(headers={"Vary": "Accept-Language, Cookie"})) == [
        "Vary: 'Accept-Language, Cookie'"
    ]


def test_a_failed_page_is_named_by_its_status_alone():
    assert page_problems(HttpResponse(status=404), "/en/exhibits/") == {"status": ["status 404, not 200"]}
