import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]

CONFERENCE = "/events/di-san-jie-daguo-gongjiang-chuangxin-jiaoliu-dahui/"


def test_the_conference_page_shows_date_place_hosts_theme_and_that_the_year_is_inferred(client):
    html = client.get(CONFERENCE).content.decode()
    for text in ["9月23日至26日", "重庆", "中华全国总工会", "匠心铸梦,向新而行", "年份为推断"]:
        assert text in html


def test_the_events_page_lists_the_ten_actions_one_by_one(client):
    html = client.get("/events/").content.decode()
    assert "防沙治沙和风电光伏一体化工程劳动竞赛大会战" in html
    assert "助力新质生产力产业工人技能提升行动" in html


def test_the_events_page_shows_every_top_level_event_of_the_reports_on_one_page_with_the_programmes(client):
    from portal.models import Event, Programme

    html = client.get("/events/").content.decode()
    assert 'class="pagination"' not in html
    top_level = Event.objects.published().filter(parent=None)
    assert top_level.exists()
    for event in top_level:
        assert f'href="{event.get_absolute_url()}"' in html, event.slug
    for programme in Programme.objects.published():
        assert f'id="{programme.slug}"' in html, programme.slug


def test_the_july_drive_shows_who_did_what(client):
    html = client.get("/events/keji-tuwei-xinzhi-shengchanli-jizhong-tuijin-xingdong/").content.decode()
    for text in ["张慧宇", "张大勇", "云玉美", "北方联合电力"]:
        assert text in html


def test_an_organisation_page_shows_what_it_did_and_its_exhibits(client):
    html = client.get("/organisations/bayannaoer-gongdian-gongsi/").content.decode()
    assert "预警通讯安全帽" in html
    assert "F-12芳纶防割手套" in html
    assert 'href="/organisations/neimenggu-dianli-jituan/"' in html


def test_the_figures_page_keeps_approximate_figures_as_strong_as_printed(client):
    html = client.get("/figures/").content.decode()
    assert '<span class="num">40</span><span class="unit">余项</span>' in html
    assert '<span class="qualifier">超</span><span class="num">万</span><span class="unit">人次</span>' in html
    assert '<span class="num">数千</span><span class="unit">人次</span>' in html
    assert "约数" not in html and "概数" not in html


def test_the_english_figures_page_says_more_than_and_several_in_english(client):
    html = client.get("/en/figures/").content.decode()
    more_than = '<span class="qualifier">more than </span>'
    assert f'{more_than}<span class="num">40</span><span class="unit"> innovations</span>' in html
    assert f'{more_than}<span class="num">10,000</span><span class="unit"> person-times</span>' in html
    assert '<span class="num">several thousand</span><span class="unit"> person-times</span>' in html
    assert '<span class="num">12.3 million</span><span class="unit"> yuan</span>' in html


def test_the_merged_exhibits_figure_cites_both_paragraphs_and_keeps_its_old_anchor(client):
    html = client.get("/figures/").content.decode()
    card = html[html.index('id="zhanchu-chengguo-40-yu-xiang"') :]
    card = card[: card.index("</div>")]
    assert '<span id="canzhan-chengguo-40-yu-jian"></span>' in card
    assert "#p15" in card and "#p44" in card
    assert html.count("canzhan-chengguo-40-yu-jian") == 1


def test_the_sources_page_says_which_title_is_ours(client):
    html = client.get("/sources/").content.decode()
    assert "此标题为本站所拟" in html


def test_the_organisations_page_lists_every_published_organisation_grouped_by_kind_unions_first(client):
    from portal.models import Organisation

    html = client.get("/organisations/").content.decode()
    assert 'class="pagination"' not in html
    published = Organisation.objects.published()
    assert published.count() > 20
    for organisation in published:
        assert f'href="{organisation.get_absolute_url()}"' in html, organisation.slug
    headings = [label for value, label in Organisation.Kind.choices if published.filter(kind=value).exists()]
    positions = [html.index(f">{label}</h2>") for label in headings]
    assert positions == sorted(positions)
    assert html.index(">工会组织</h2>") < html.index("内蒙古自治区总工会") < html.index(">企业及其部门</h2>")


def test_the_organisations_page_in_english_has_english_headings_and_names(client):
    html = client.get("/en/organisations/").content.decode()
    assert "<h1>Organisations</h1>" in html
    assert "Inner Mongolia Federation of Trade Unions" in html
    assert ">工会组织</h2>" not in html


def test_an_unpublished_organisation_is_not_listed(client):
    from portal.models import Organisation

    hidden = Organisation.objects.published().first()
    hidden.is_published = False
    hidden.save()

    html = client.get("/organisations/").content.decode()
    assert f'href="{hidden.get_absolute_url()}"' not in html


@pytest.mark.parametrize("language", ["", "/en"])
def test_organisations_are_in_the_navigation_and_an_organisations_breadcrumb_leads_to_them(client, language):
    html = client.get(f"{language}/organisations/neimenggu-zonggonghui/").content.decode()
    nav = html[html.index('class="wrap site-nav"') :]
    assert f'href="{language}/organisations/"' in nav[: nav.index("</nav>")]
    crumbs = html[html.index('class="wrap breadcrumbs"') :]
    assert f'<li><a href="{language}/organisations/">' in crumbs[: crumbs.index("</nav>")]


def test_the_english_organisations_page_sorts_each_kind_by_english_name(client):
    from portal.models import Organisation

    html = client.get("/en/organisations/").content.decode()
    unions = Organisation.objects.published().filter(kind=Organisation.Kind.UNION)
    names = sorted(unions.values_list("name_en", flat=True))
    assert len(names) > 1
    positions = [html.index(f'">{name} <span') for name in names]
    assert positions == sorted(positions)
