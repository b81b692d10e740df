import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]


def test_a_profile_shows_tier_badge_title_and_the_exhibit(client):
    html = client.get("/craftsmen/li-dongliang/").content.decode()
    assert "badge-tier" in html
    assert "北疆工匠" in html
    assert 'href="/exhibits/jixieshi-zisuo-fang-tuoluo-qianyin-suozhi-zhuangzhi/"' in html


def test_a_profile_lists_the_events_the_person_appears_in(client):
    html = client.get("/craftsmen/zhang-huiyu/").content.decode()
    assert "自治区总工会党组书记、副主席" in html
    assert "/events/" in html


def test_a_craftsman_named_only_under_a_group_label_says_so(client):
    html = client.get("/craftsmen/lu-renfeng/").content.decode()
    assert "群体称谓" in html


def test_an_academy_page_shows_its_recognition_and_who_recognised_it(client):
    html = client.get("/academies/baotou-zhiye-jishu-xueyuan-gongjiang-xueyuan/").content.decode()
    assert "首批重点支持的工匠学院" in html
    assert 'href="/organisations/zhonghua-quanguo-zonggonghui/"' in html


def test_the_english_craftsmen_page_keeps_the_chinese_tier_names_beside_the_english(client):
    html = client.get("/en/craftsmen/").content.decode()
    assert 'lang="zh-Hans" class="alt-name">大国工匠</span>' in html


def test_with_the_real_data_everyone_is_on_one_page_as_before(client):
    html = client.get("/craftsmen/").content.decode()
    assert 'class="pagination"' not in html
    assert 'class="ladder"' in html and 'id="baotou-heading"' in html
    # The six people of the work without a tier: the report's credited
    # writers and editors and the leader quoted in passing are no longer
    # people in the grid (they were six more cards).
    assert html.count('<li class="card"><h3 class="card-title">') == 6


def test_the_grid_has_no_report_credits_and_no_leader_quoted_in_passing(client):
    html = client.get("/craftsmen/").content.decode()
    assert "王效" in html and "王强" in html
    for name in ["王瑞波", "张旭", "霍日查", "刘旭亮", "宇文韬", "习近平"]:
        assert name not in html
