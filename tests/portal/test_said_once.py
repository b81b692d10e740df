"""Say a thing once per page: a paragraph cited for several facts of a
record is one source (one link, its excerpts under it), and an exhibit's
missing makers are noted once."""

import re

import pytest

from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_cited_twice_in_one_paragraph():
    source = make.report()
    person = make.person(source, name="高凤林", name_en="Gao Fenglin")
    person.citations.all().delete()
    make.cite(person, source, paragraph=20, excerpt="大国工匠高凤林来到内蒙古自治区总工会展区")
    make.cite(person, source, paragraph=20, excerpt="听取创新成果介绍")
    make.cite(person, source, paragraph=22, excerpt="大国工匠高凤林与内蒙古各级工匠面对面交流")
    return person


def test_a_record_lists_each_cited_paragraph_once_in_reading_order_with_its_excerpts(
    person_cited_twice_in_one_paragraph,
):
    cited = person_cited_twice_in_one_paragraph.cited_paragraphs

    assert [(c.paragraph, c.excerpts) for c in cited] == [
        (20, ["大国工匠高凤林来到内蒙古自治区总工会展区", "听取创新成果介绍"]),
        (22, ["大国工匠高凤林与内蒙古各级工匠面对面交流"]),
    ]
    assert cited[0].url.endswith("#p20")


def test_a_persons_page_cites_each_paragraph_once(client, person_cited_twice_in_one_paragraph):
    html = client.get(person_cited_twice_in_one_paragraph.get_absolute_url()).content.decode()
    sources = html[html.index('class="citation-list"') : html.index("</ol>", html.index('class="citation-list"'))]

    assert re.findall(r"第(\d+)段", sources) == ["20", "22"]
    assert sources.count("<blockquote") == 3


def test_a_figures_source_link_names_a_paragraph_once(client):
    source = make.report()
    figure = make.figure(source, name="试点单位", value=195, is_headline=True)
    make.cite(figure, source, paragraph=1, excerpt="四批195家")

    html = client.get("/").content.decode()

    assert html.count(f'href="{source.get_absolute_url()}#p1"') == 1


def test_an_exhibit_without_makers_says_so_once(client):
    source = make.report()
    area = make.area(source, exhibition=make.exhibition(source))
    says_it = make.exhibit(source, exhibition=area.exhibition, area=area, description="电机。报告未写明研发者和单位。")
    silent = make.exhibit(source, exhibition=area.exhibition, area=area, description="电机。")

    assert main_text(client, says_it.get_absolute_url()).count("写明") == 1
    assert main_text(client, silent.get_absolute_url()).count("写明") == 1


def main_text(client, url: str) -> str:
    html = client.get(url).content.decode()
    return html[html.index("<main") : html.index("</main>")]
